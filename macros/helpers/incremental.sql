{#-
    Incremental nightly builds of the event-level facts with the volume (GP
    registrations, A&E attendances, ambulance incidents). A fact built incrementally
    keeps one row per source row and the delivery it came from (delivery_id). Each
    night:

    1. rows of deliveries that are no longer current are deleted (a refresh or a
       re-delivered file moved them to raw_history): delete_replaced_deliveries, run as
       the model's pre-hook;
    2. the deliveries the fact has not seen are built, together with any delivery
       holding a row whose registration attribution (the practice's PCN and SDF on the
       event date) no longer matches the practice history (is_delivery_to_build), and
       merged in by the fact's row key (delete+insert).

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

{#- A filter on a staging alias: the row belongs to a delivery the night must build
    (always true on a full build): a delivery the fact has not seen yet, or one with a
    row whose stored PCN or registration SDF (pcn_code, registration_sdf_code) differs
    from the practice history on the row's date (date_column of the fact): the practice
    map changed since it was built. A delivery is rebuilt whole, so that the filter is a
    short list of delivery ids the scan can use. -#}
{% macro is_delivery_to_build(staging_alias, staging_relation, practices_relation=none, date_column=none) -%}
    {%- if is_incremental() -%}
    {{ staging_alias }}.delivery_id in (
        select unseen.delivery_id
        from (
            select distinct current_rows.delivery_id from {{ staging_relation }} as current_rows
            except
            select distinct built.delivery_id from {{ this }} as built
        ) as unseen
        {%- if practices_relation is not none %}
        union
        select distinct built.delivery_id
        from {{ this }} as built
        left join {{ practices_relation }} as current_practices
            on built.practice_code = current_practices.practice_code
            and {{ footprint.is_valid_on('built.' ~ date_column, 'current_practices.valid_from', 'current_practices.valid_to') }}
        where built.pcn_code is distinct from current_practices.pcn_code
            or built.registration_sdf_code is distinct from current_practices.sdf_code
        {%- endif %}
    )
    {%- else -%}
    true
    {%- endif -%}
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
