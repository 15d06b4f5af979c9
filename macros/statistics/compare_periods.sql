{#-
    Comparing two values of one indicator (the latest 12 months against the 12 months
    before them), by value type:

    proportion  difference p1 - p2 with Newcombe's hybrid score interval (Newcombe 1998,
                Stat Med 17:873-90, method 10; the square-and-add of the two Wilson
                intervals, PHE's recommended method for a difference of proportions):
                  lower = D - sqrt((p1 - l1)^2 + (u2 - p2)^2)
                  upper = D + sqrt((u1 - p1)^2 + (p2 - l2)^2)
                on the 0..1 scale; the caller applies any multiplier.
    rate, count ratio r1 / r2 with the log-normal interval
                  exp(ln R -/+ z sqrt(phi (1/O1 + 1/O2)))
                (Rothman, Greenland & Lash, Modern Epidemiology, 3rd ed., ch. 14), phi the
                dispersion factor of the series (1 for Poisson counts; > 1 where events
                come in runs, so the interval widens by sqrt(phi), quasi-Poisson).
    DSR         ratio of two DSRs, the same log-normal interval with
                var(ln DSR) = var(DSR) / DSR^2 (the delta method; Breslow & Day 1987,
                Statistical Methods in Cancer Research II, 2.3), var(DSR) as phe_dsr's
                sum(w^2 O / n^2): dsr_variance recovers it from the Dobson upper limit.
    A change is significant when the interval excludes no change (0 for a difference,
    1 for a ratio); change_judgement reads it through polarity.
-#}

{% macro newcombe_difference_lower(numerator_1, denominator_1, numerator_2, denominator_2, confidence=0.95) -%}
    {#- arguments may be expressions (x / phi): each is used as one term -#}
    {%- set numerator_1 = '(' ~ numerator_1 ~ ')' -%}
    {%- set denominator_1 = '(' ~ denominator_1 ~ ')' -%}
    {%- set numerator_2 = '(' ~ numerator_2 ~ ')' -%}
    {%- set denominator_2 = '(' ~ denominator_2 ~ ')' -%}
    (
        {{ footprint.statistics_double(numerator_1) }} / {{ denominator_1 }}
        - {{ footprint.statistics_double(numerator_2) }} / {{ denominator_2 }}
        - sqrt(
            power({{ footprint.statistics_double(numerator_1) }} / {{ denominator_1 }}
                - {{ footprint.wilson_lower(numerator_1, denominator_1, confidence) }}, 2)
            + power({{ footprint.wilson_upper(numerator_2, denominator_2, confidence) }}
                - {{ footprint.statistics_double(numerator_2) }} / {{ denominator_2 }}, 2)
        )
    )
{%- endmacro %}

{% macro newcombe_difference_upper(numerator_1, denominator_1, numerator_2, denominator_2, confidence=0.95) -%}
    {#- arguments may be expressions (x / phi): each is used as one term -#}
    {%- set numerator_1 = '(' ~ numerator_1 ~ ')' -%}
    {%- set denominator_1 = '(' ~ denominator_1 ~ ')' -%}
    {%- set numerator_2 = '(' ~ numerator_2 ~ ')' -%}
    {%- set denominator_2 = '(' ~ denominator_2 ~ ')' -%}
    (
        {{ footprint.statistics_double(numerator_1) }} / {{ denominator_1 }}
        - {{ footprint.statistics_double(numerator_2) }} / {{ denominator_2 }}
        + sqrt(
            power({{ footprint.wilson_upper(numerator_1, denominator_1, confidence) }}
                - {{ footprint.statistics_double(numerator_1) }} / {{ denominator_1 }}, 2)
            + power({{ footprint.statistics_double(numerator_2) }} / {{ denominator_2 }}
                - {{ footprint.wilson_lower(numerator_2, denominator_2, confidence) }}, 2)
        )
    )
{%- endmacro %}

{#- Variance of ln(r1 / r2) for two rates or counts: phi (1/O1 + 1/O2); null when
    either count is 0 (the ratio has no finite log). -#}
{% macro rate_ratio_log_variance(count_1, count_2, dispersion=1) -%}
    case
        when {{ count_1 }} > 0 and {{ count_2 }} > 0 then
            {{ dispersion }} * (1 / {{ footprint.statistics_double(count_1) }}
                + 1 / {{ footprint.statistics_double(count_2) }})
    end
{%- endmacro %}

{#- Variance of a DSR from its Dobson upper limit and total count: the limit is
    DSR + sqrt(var / O) (O_upper - O), so var = O ((upper - DSR) / (O_upper - O))^2, in
    the DSR's own units (multiplier included). -#}
{% macro dsr_variance(dsr, upper, count) -%}
    case
        when {{ count }} > 0 then
            {{ footprint.statistics_double(count) }}
            * power(({{ upper }} - {{ dsr }}) / ({{ footprint.byars_upper(count) }} - {{ count }}), 2)
    end
{%- endmacro %}

{#- Variance of ln(DSR1 / DSR2) from the two DSR variances, times the dispersion. -#}
{% macro dsr_ratio_log_variance(dsr_1, variance_1, dsr_2, variance_2, dispersion=1) -%}
    case
        when {{ dsr_1 }} > 0 and {{ dsr_2 }} > 0 then
            {{ dispersion }} * ({{ variance_1 }} / power({{ dsr_1 }}, 2) + {{ variance_2 }} / power({{ dsr_2 }}, 2))
    end
{%- endmacro %}

{% macro log_ratio_lower(ratio, log_variance, confidence=0.95) -%}
    ({{ ratio }} * exp(-{{ footprint.statistics_z(confidence) }} * sqrt({{ log_variance }})))
{%- endmacro %}

{% macro log_ratio_upper(ratio, log_variance, confidence=0.95) -%}
    ({{ ratio }} * exp({{ footprint.statistics_z(confidence) }} * sqrt({{ log_variance }})))
{%- endmacro %}

{#- 'higher' / 'lower' / 'no_significant_change' from the interval of a change and the
    value meaning no change (0 for a difference, 1 for a ratio), read through polarity:
    'improved' / 'worsened' where high or low is good; higher / lower otherwise. -#}
{% macro change_judgement(lower, upper, no_change, polarity) -%}
    case
        when {{ lower }} is null or {{ upper }} is null then 'not_enough_data'
        when {{ lower }} > {{ no_change }} then
            case {{ polarity }}
                when 'high_is_good' then 'improved'
                when 'low_is_good' then 'worsened'
                else 'higher'
            end
        when {{ upper }} < {{ no_change }} then
            case {{ polarity }}
                when 'high_is_good' then 'worsened'
                when 'low_is_good' then 'improved'
                else 'lower'
            end
        else 'no_significant_change'
    end
{%- endmacro %}

{#- Difference of two independent estimates known only by their values and symmetric
    normal 95% intervals (life expectancy: PHE's Chiang II limits are value -/+ z se):
    each standard error is (upper - lower) / (2 z), the difference's is the root of the
    sum of their squares. -#}
{% macro estimate_difference_lower(value_1, lower_1, upper_1, value_2, lower_2, upper_2, confidence=0.95) -%}
    {{ footprint._estimate_difference(value_1, lower_1, upper_1, value_2, lower_2, upper_2, confidence, '-') }}
{%- endmacro %}

{% macro estimate_difference_upper(value_1, lower_1, upper_1, value_2, lower_2, upper_2, confidence=0.95) -%}
    {{ footprint._estimate_difference(value_1, lower_1, upper_1, value_2, lower_2, upper_2, confidence, '+') }}
{%- endmacro %}

{% macro _estimate_difference(value_1, lower_1, upper_1, value_2, lower_2, upper_2, confidence, sign) -%}
    {%- set z95 = footprint.statistics_z(0.95) -%}
    (
        ({{ value_1 }}) - ({{ value_2 }})
        {{ sign }} {{ footprint.statistics_z(confidence) }} * sqrt(
            power((({{ upper_1 }}) - ({{ lower_1 }})) / (2 * {{ z95 }}), 2)
            + power((({{ upper_2 }}) - ({{ lower_2 }})) / (2 * {{ z95 }}), 2)
        )
    )
{%- endmacro %}

