{#-
    Date helpers used across the models, written with dbt's cross-database macros so
    that the project can move to another engine. Each renders one SQL expression.
-#}

{#- The first day of the month of a date or timestamp, as a date. -#}
{% macro month_of(date_expression) -%}
    cast({{ dbt.date_trunc('month', date_expression) }} as date)
{%- endmacro %}

{#- A date plus a (possibly negative) number of days, as a date. -#}
{% macro add_days(days, date_expression) -%}
    cast({{ dbt.dateadd('day', days, date_expression) }} as date)
{%- endmacro %}

{#- A date plus a (possibly negative) number of calendar months, as a date (the day
    of the month is kept where the target month has it, else its last day). -#}
{% macro add_months(months, date_expression) -%}
    cast({{ dbt.dateadd('month', months, date_expression) }} as date)
{%- endmacro %}

{#- A date falls in a half-open validity range [valid_from, valid_to); an empty
    valid_to means the range is still open. -#}
{% macro is_valid_on(date_expression, valid_from, valid_to) -%}
    ({{ date_expression }} >= {{ valid_from }}
        and ({{ valid_to }} is null or {{ date_expression }} < {{ valid_to }}))
{%- endmacro %}

{#- An age falls in the band [age_from, age_to]; an empty age_to is the open top
    band (90+). -#}
{% macro age_in_band(age, age_from, age_to) -%}
    ({{ age }} >= {{ age_from }} and ({{ age_to }} is null or {{ age }} <= {{ age_to }}))
{%- endmacro %}

{#- Age in whole years on a date from a year and month of birth ('YYYY-MM'): the
    birthday month counts as reached (born 1959-06 is 65 on any day of June 2024). -#}
{% macro age_from_birth_year_month(birth_year_month, date_expression) -%}
    cast(floor((
        (extract(year from {{ date_expression }}) * 12 + extract(month from {{ date_expression }}))
        - (cast({{ dbt.split_part(birth_year_month, "'-'", 1) }} as integer) * 12
            + cast({{ dbt.split_part(birth_year_month, "'-'", 2) }} as integer))
    ) / 12.0) as integer)
{%- endmacro %}
