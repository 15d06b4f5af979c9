{#-
    Disclosure control for published sub-national counts (NHS Digital rule):
    0 stays 0; 1-7 are suppressed (null); everything else is rounded to the nearest 5.

    Rounding is half away from zero, done explicitly as floor(count / 5 + 0.5) * 5 so
    that it does not depend on an engine's round() (some round half to even). Whole
    counts never tie (5 is odd: 12 -> 10, 13 -> 15); a fractional count such as 12.5
    rounds up to 15. "1-7" is taken as any count above 0 and below 8, so a fractional
    7.5 is suppressed too. A negative count is not a count: it is withheld (null) and
    flagged as suppressed rather than published.

    A rate or interval built from a suppressed count is suppressed too: disclose_rate.
-#}

{% macro is_suppressed(count) -%}
    coalesce({{ count }} < 0 or ({{ count }} > 0 and {{ count }} < 8), false)
{%- endmacro %}

{% macro disclose_count(count) -%}
    case
        when {{ count }} is null or {{ footprint.is_suppressed(count) }} then null
        when {{ count }} = 0 then 0
        else cast(floor({{ footprint.statistics_double(count) }} / 5 + 0.5) * 5 as {{ dbt.type_bigint() }})
    end
{%- endmacro %}

{% macro disclose_rate(rate, count) -%}
    case when {{ footprint.is_suppressed(count) }} then null else {{ rate }} end
{%- endmacro %}

{#- The count that decides whether a published value is disclosed: the numerator, or
    a crude rate's denominator when that is a suppressed count (a rate over 1-7 people,
    such as attendances per high-intensity user). Population and day denominators are
    never 1-7, and a proportion's denominator is never below its numerator. -#}
{% macro disclosure_basis(method='method', numerator='numerator', denominator='denominator') -%}
    case when {{ method }} = 'crude_rate' and {{ footprint.is_suppressed(denominator) }}
        then {{ denominator }} else {{ numerator }} end
{%- endmacro %}
