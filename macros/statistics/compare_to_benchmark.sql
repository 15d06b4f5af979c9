{#-
    Significance against a benchmark by interval overlap, as the Fingertips profiles:
    an area is significantly higher when its lower limit is above the benchmark, lower
    when its upper limit is below it, similar otherwise (touching counts as similar).
    Read through the indicator's polarity:

        polarity       higher    lower    neither
        high_is_good   better    worse    similar
        low_is_good    worse     better   similar
        anything else  higher    lower    similar     (no_judgement)

    'not_compared' when either limit or the benchmark is null. Polarity is an SQL
    expression: a column name, or a quoted literal such as "'low_is_good'".
-#}

{#- The area's interval against a benchmark VALUE (England, or the borough). -#}
{% macro compare_to_benchmark(lower, upper, benchmark_value, polarity) -%}
    {{ footprint._read_comparison(
        lower ~ ' is null or ' ~ upper ~ ' is null or ' ~ benchmark_value ~ ' is null',
        lower ~ ' > ' ~ benchmark_value,
        upper ~ ' < ' ~ benchmark_value,
        polarity) }}
{%- endmacro %}

{#- Interval a against interval b (a is higher when its whole interval lies above b's). -#}
{% macro compare_intervals(lower_a, upper_a, lower_b, upper_b, polarity) -%}
    {{ footprint._read_comparison(
        lower_a ~ ' is null or ' ~ upper_a ~ ' is null or '
            ~ lower_b ~ ' is null or ' ~ upper_b ~ ' is null',
        lower_a ~ ' > ' ~ upper_b,
        upper_a ~ ' < ' ~ lower_b,
        polarity) }}
{%- endmacro %}

{% macro _read_comparison(is_missing, is_higher, is_lower, polarity) -%}
    case
        when {{ is_missing }} then 'not_compared'
        when {{ is_higher }} then
            case {{ polarity }}
                when 'high_is_good' then 'better'
                when 'low_is_good' then 'worse'
                else 'higher'
            end
        when {{ is_lower }} then
            case {{ polarity }}
                when 'high_is_good' then 'worse'
                when 'low_is_good' then 'better'
                else 'lower'
            end
        else 'similar'
    end
{%- endmacro %}
