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
