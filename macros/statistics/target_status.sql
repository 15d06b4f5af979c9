{#-
    Progress against a key performance target: 'met' when the value is at or beyond the
    target in the good direction (>= for high_is_good, <= for low_is_good), else
    'not_met'. Null when the value or target is null, or the polarity gives no good
    direction (a target needs one). A point comparison, as targets are reported; no
    interval is involved.
-#}

{% macro target_status(value, target, polarity) -%}
    case
        when {{ value }} is null or {{ target }} is null then null
        when {{ polarity }} = 'high_is_good' then
            case when {{ value }} >= {{ target }} then 'met' else 'not_met' end
        when {{ polarity }} = 'low_is_good' then
            case when {{ value }} <= {{ target }} then 'met' else 'not_met' end
    end
{%- endmacro %}
