{#- The value of an indicator that is not standardised, and its 95% interval, by the
    catalogue's method: proportion (Wilson), crude_rate (Byars, exact below 10 events)
    or count (Byars on the count). One definition for the SDF values and for their
    breakdowns, so that both are computed alike. Standardised rates: dsr_value. -#}

{% macro indicator_value(method, numerator, denominator, multiplier) -%}
    case {{ method }}
        when 'proportion' then
            case when {{ denominator }} > 0 then {{ numerator }} / {{ denominator }} * {{ multiplier }} end
        when 'crude_rate' then {{ footprint.crude_rate_value(numerator, denominator, multiplier) }}
        when 'count' then {{ numerator }}
    end
{%- endmacro %}

{% macro indicator_lower(method, numerator, denominator, multiplier) -%}
    case {{ method }}
        when 'proportion' then {{ footprint.wilson_lower(numerator, denominator) }} * {{ multiplier }}
        when 'crude_rate' then {{ footprint.crude_rate_lower(numerator, denominator, multiplier) }}
        when 'count' then {{ footprint.byars_lower(numerator) }}
    end
{%- endmacro %}

{% macro indicator_upper(method, numerator, denominator, multiplier) -%}
    case {{ method }}
        when 'proportion' then {{ footprint.wilson_upper(numerator, denominator) }} * {{ multiplier }}
        when 'crude_rate' then {{ footprint.crude_rate_upper(numerator, denominator, multiplier) }}
        when 'count' then {{ footprint.byars_upper(numerator) }}
    end
{%- endmacro %}

{#- indicator_value, indicator_lower and indicator_upper as the columns indicator_value,
    lower_ci_95 and upper_ci_95 of a select. -#}
{% macro indicator_interval_columns(method, numerator, denominator, multiplier) -%}
    {{ footprint.indicator_value(method, numerator, denominator, multiplier) }} as indicator_value,
    {{ footprint.indicator_lower(method, numerator, denominator, multiplier) }} as lower_ci_95,
    {{ footprint.indicator_upper(method, numerator, denominator, multiplier) }} as upper_ci_95
{%- endmacro %}

{#- dsr_value, dsr_lower and dsr_upper (aggregates over age bands) as the columns
    indicator_value, lower_ci_95 and upper_ci_95 of a grouped select. -#}
{% macro dsr_interval_columns(count, population, standard_population, multiplier) -%}
    {{ footprint.dsr_value(count, population, standard_population, multiplier=multiplier) }} as indicator_value,
    {{ footprint.dsr_lower(count, population, standard_population, multiplier=multiplier) }} as lower_ci_95,
    {{ footprint.dsr_upper(count, population, standard_population, multiplier=multiplier) }} as upper_ci_95
{%- endmacro %}
