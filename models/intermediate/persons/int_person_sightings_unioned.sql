{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='sighting_id',
    on_schema_change='fail',
    pre_hook="{% if is_incremental() %}delete from {{ this }} where organisation = 'council' or delivery_id in (select replaced.delivery_id from {{ ref('stg_ingest__load_manifest') }} as replaced where replaced.delivery_status = 'superseded'){% endif %}"
) }}
{#- Every record in which a person appears, from all four organisations, with the
    identifiers it carries and the delivery it came in: the raw material of the person
    dimension.

    Incremental: a night adds the records of trust and ambulance deliveries not seen
    yet; the pre-hook deletes the records of replaced deliveries. The council's records
    are few and re-chosen across its deliveries (int_asc_events_deduplicated), so they
    are all deleted and inserted again each night. -#}
with deliveries as (

    select * from {{ ref('stg_ingest__load_manifest') }}

),

deliveries_to_build as (

    select deliveries.delivery_id
    from deliveries
    where deliveries.delivery_status = 'loaded'
    {%- if is_incremental() %}
        and deliveries.delivery_id not in (select distinct built.delivery_id from {{ this }} as built)
    {%- endif %}

),

ae_attendances as (

    select * from {{ ref('stg_trust__ae_attendances') }}
    where delivery_id in (select deliveries_to_build.delivery_id from deliveries_to_build)

),

inpatient_spells as (

    select * from {{ ref('stg_trust__inpatient_spells') }}
    where delivery_id in (select deliveries_to_build.delivery_id from deliveries_to_build)

),

ambulance_incidents as (

    select * from {{ ref('stg_ambulance__incidents') }}
    where delivery_id in (select deliveries_to_build.delivery_id from deliveries_to_build)

),

asc_events as (

    select * from {{ ref('int_asc_events_deduplicated') }}

),

reablement_episodes as (

    select * from {{ ref('stg_council__reablement') }}

),

unioned as (

    select
        'trust' as organisation,
        'ae_attendance' as record_type,
        attendance_id as record_id,
        nhs_number_pseudonym,
        cast(null as {{ dbt.type_string() }}) as council_person_id_pseudonym,
        cast(arrival_at as date) as sighting_date,
        sex,
        cast(null as {{ dbt.type_string() }}) as birth_year_month,
        delivery_id,
        loaded_at
    from ae_attendances

    union all

    select
        'trust' as organisation,
        'inpatient_spell' as record_type,
        spell_id as record_id,
        nhs_number_pseudonym,
        cast(null as {{ dbt.type_string() }}) as council_person_id_pseudonym,
        admission_date as sighting_date,
        sex,
        cast(null as {{ dbt.type_string() }}) as birth_year_month,
        delivery_id,
        loaded_at
    from inpatient_spells

    union all

    select
        'ambulance' as organisation,
        'ambulance_incident' as record_type,
        incident_id as record_id,
        nhs_number_pseudonym,
        cast(null as {{ dbt.type_string() }}) as council_person_id_pseudonym,
        cast(call_at as date) as sighting_date,
        cast(null as {{ dbt.type_string() }}) as sex,
        cast(null as {{ dbt.type_string() }}) as birth_year_month,
        delivery_id,
        loaded_at
    from ambulance_incidents
    where nhs_number_pseudonym is not null

    union all

    select
        'council' as organisation,
        'social_care_event' as record_type,
        event_id as record_id,
        nhs_number_pseudonym,
        council_person_id_pseudonym,
        event_start_date as sighting_date,
        sex,
        birth_year_month,
        delivery_id,
        loaded_at
    from asc_events

    union all

    select
        'council' as organisation,
        'reablement_episode' as record_type,
        episode_id as record_id,
        nhs_number_pseudonym,
        council_person_id_pseudonym,
        hospital_discharge_date as sighting_date,
        sex,
        birth_year_month,
        delivery_id,
        loaded_at
    from reablement_episodes

),

final as (

    select
        {{ dbt.concat(['record_type', "':'", 'record_id']) }} as sighting_id,
        organisation,
        record_type,
        record_id,
        nhs_number_pseudonym,
        council_person_id_pseudonym,
        sighting_date,
        sex,
        birth_year_month,
        delivery_id,
        loaded_at
    from unioned

)

select * from final
