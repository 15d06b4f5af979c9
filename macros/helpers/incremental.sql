{#-
    Incremental nightly builds of the event-level facts with the volume (GP
    registrations, A&E attendances, ambulance incidents). A fact built incrementally
    keeps one row per source row and the delivery it came from (delivery_id). Each
    night:

    1. rows of deliveries that are no longer current are deleted (a refresh or a
       re-delivered file moved them to raw_history): delete_replaced_deliveries, run as
       the model's pre-hook;
    2. rows of deliveries the fact has not seen are built (is_new_delivery), together
       with any rows whose registration attribution (the practice's PCN and SDF on the
       event date) no longer matches the practice history (reattributed_rows), and
       merged in by the fact's key (delete+insert).

    Everything else the facts join to is reference data from the seeds, or stable (a
    person_id is a hash of the NHS number pseudonym); a change of seeds or of a fact's
    SQL needs `dbt build --full-refresh`. tests/dbt_build/test_incremental.py checks
    that a night built this way equals a full rebuild.
-#}

{#- Pre-hook: delete the rows of deliveries that are no longer in the staging model. -#}
{% macro delete_replaced_deliveries(staging_model) -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where delivery_id not in (
        select distinct current_rows.delivery_id from {{ ref(staging_model) }} as current_rows
    )
    {%- endif -%}
{%- endmacro %}

{#- A filter on a staging alias: its delivery is not yet in the fact (always true on a
    full build). -#}
{% macro is_new_delivery(staging_alias) -%}
    {%- if is_incremental() -%}
    {{ staging_alias }}.delivery_id not in (select distinct built.delivery_id from {{ this }} as built)
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}

{#- The keys of the fact's rows whose stored PCN or registration SDF differs from the
    practice history (practices_relation) on the row's date: the practice map changed
    since they were built. Renders a SELECT of key_columns; use it only when
    is_incremental(). -#}
{% macro reattributed_rows(practices_relation, key_columns, date_column,
                            pcn_column='pcn_code', sdf_column='registration_sdf_code') -%}
    select distinct {% for column in key_columns %}built.{{ column }}{% if not loop.last %}, {% endif %}{% endfor %}
    from {{ this }} as built
    left join {{ practices_relation }} as current_practices
        on built.practice_code = current_practices.practice_code
        and {{ footprint.is_valid_on('built.' ~ date_column, 'current_practices.valid_from', 'current_practices.valid_to') }}
    where built.{{ pcn_column }} is distinct from current_practices.pcn_code
        or built.{{ sdf_column }} is distinct from current_practices.sdf_code
{%- endmacro %}

{#- The configuration every incremental fact shares: delete+insert by the fact's row
    key, with the rows of replaced deliveries deleted first. Call it at the top of the
    model. -#}
{% macro incremental_fact_config(unique_key, staging_model) -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=unique_key,
        on_schema_change='fail',
        pre_hook="{{ footprint.delete_replaced_deliveries('" ~ staging_model ~ "') }}"
    ) }}
{%- endmacro %}
