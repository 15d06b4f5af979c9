{#- Schemas are named for their layer (staging, core, sdf ...), not prefixed with the
    target schema, so that published tables have stable names. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name if custom_schema_name else target.schema }}
{%- endmacro %}
