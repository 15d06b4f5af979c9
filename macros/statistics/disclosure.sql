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

{#- Secondary suppression. Where the cells of a group add up to a total that is
    published (an SDF's count, broken down by practice, say), one suppressed cell could
    be recovered as the total minus the other cells. So within each group (partition_by),
    when exactly one cell is suppressed by the rule above and the total is not, the
    smallest other cell with a count above 0 is suppressed too (ties: the first by
    tie_break). A window expression: true for that one cell, false for every other.
    `counts` is one count or a list of the counts a cell shows (numerator and
    denominator, say): a cell is suppressed when any of them is, the total is published
    when any of the totals is, and cells are ordered by the counts in turn. -#}
{% macro is_secondary_suppressed(counts, partition_by, tie_break) -%}
    {%- set counts = [counts] if counts is string else counts -%}
    {%- set window = 'partition by ' ~ partition_by -%}
    {%- set primary = [] -%}
    {%- set positive = [] -%}
    {%- set total_published = [] -%}
    {%- for count in counts -%}
        {%- do primary.append(footprint.is_suppressed(count)) -%}
        {%- do positive.append('coalesce(' ~ count ~ ', 0) > 0') -%}
        {%- do total_published.append('not ' ~ footprint.is_suppressed('sum(' ~ count ~ ') over (' ~ window ~ ')')) -%}
    {%- endfor -%}
    {%- set is_primary = '(' ~ primary | join(' or ') ~ ')' -%}
    {%- set candidate = '(not ' ~ is_primary ~ ' and (' ~ positive | join(' or ') ~ '))' -%}
    coalesce(
        {{ candidate }}
        and sum(case when {{ is_primary }} then 1 else 0 end) over ({{ window }}) = 1
        and ({{ total_published | join(' or ') }})
        and row_number() over (
            {{ window }}
            order by case when {{ candidate }} then 0 else 1 end, {{ counts | join(', ') }}, {{ tie_break }}
        ) = 1,
        false
    )
{%- endmacro %}

{#- The count that decides whether a published value is disclosed: the numerator, or
    a crude rate's denominator when that is a suppressed count (a rate over 1-7 people,
    such as attendances per high-intensity user). Population and day denominators are
    never 1-7, and a proportion's denominator is never below its numerator. -#}
{% macro disclosure_basis(method='method', numerator='numerator', denominator='denominator') -%}
    case when {{ method }} = 'crude_rate' and {{ footprint.is_suppressed(denominator) }}
        then {{ denominator }} else {{ numerator }} end
{%- endmacro %}
