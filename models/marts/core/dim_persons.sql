{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='person_id',
    on_schema_change='fail',
    pre_hook="{% if is_incremental() %}delete from {{ this }} where person_id not in (select linked.person_id from {{ ref('int_person_identifiers_linked') }} as linked){% endif %}"
) }}
{#- One row per pseudonymous person seen by any of the four organisations.

    Incremental: a night with new trust or ambulance deliveries only rebuilds the
    people those deliveries name (each row is rebuilt from all of the person's
    sightings, so it equals a full build). Every person is rebuilt when rows may have
    left a person or moved to another: a council delivery (its events are re-chosen
    across deliveries, and a new trace can link a council identifier to another
    person), a delivery that replaces an earlier one, or a number of sightings that no
    longer adds up. The pre-hook deletes people no identifier leads to any more.
    tests/dbt_build/test_incremental.py holds a night built this way equal to a full
    rebuild. -#}
with sightings as (

    -- a sighting's person is the one of its NHS number when it has one, else the one its
    -- council identifier is linked to: the identifier that decides is joined on
    select
        *,
        case
            when nhs_number_pseudonym is not null then 'nhs_number'
            else 'council_person_id'
        end as deciding_identifier_type,
        coalesce(nhs_number_pseudonym, council_person_id_pseudonym) as deciding_identifier_pseudonym
    from {{ ref('int_person_sightings_unioned') }}

),

person_identifiers as (

    select * from {{ ref('int_person_identifiers_linked') }}

),

deliveries as (

    select * from {{ ref('stg_ingest__load_manifest') }}

),
{%- if is_incremental() %}

built as (

    select
        max(last_loaded_at) as loaded_until,
        coalesce(sum(sighting_count), 0) as sighting_count
    from {{ this }}

),

new_sightings as (

    select * from sightings
    where loaded_at > (select built.loaded_until from built)

),

is_full_rebuild as (

    select
        exists (
            select 1
            from new_sightings
            where new_sightings.organisation = 'council'
                or new_sightings.delivery_id in (
                    select deliveries.superseded_by_delivery_id
                    from deliveries
                    where deliveries.superseded_by_delivery_id is not null
                )
        )
        or (select count(*) from sightings)
            <> (select built.sighting_count from built) + (select count(*) from new_sightings)
        as is_needed

),

-- every identifier of every person a new sighting names
identifiers_to_build as (

    select all_identifiers.identifier_type, all_identifiers.identifier_pseudonym
    from person_identifiers as all_identifiers
    where all_identifiers.person_id in (
        select named.person_id
        from new_sightings
        inner join person_identifiers as named
            on named.identifier_type = new_sightings.deciding_identifier_type
            and named.identifier_pseudonym = new_sightings.deciding_identifier_pseudonym
    )

),
{%- endif %}

sightings_to_build as (

    select * from sightings
    {%- if is_incremental() %}
    where (select is_full_rebuild.is_needed from is_full_rebuild)
        or (deciding_identifier_type, deciding_identifier_pseudonym) in (
            select (identifier_type, identifier_pseudonym) from identifiers_to_build
        )
    {%- endif %}

),

person_sightings as (

    select
        person_identifiers.person_id,
        person_identifiers.person_nhs_number_pseudonym as nhs_number_pseudonym,
        sightings_to_build.council_person_id_pseudonym,
        sightings_to_build.organisation,
        sightings_to_build.sighting_date,
        sightings_to_build.sex,
        sightings_to_build.birth_year_month,
        sightings_to_build.loaded_at
    from sightings_to_build
    left join person_identifiers
        on person_identifiers.identifier_type = sightings_to_build.deciding_identifier_type
        and person_identifiers.identifier_pseudonym = sightings_to_build.deciding_identifier_pseudonym

),

latest_known_sex as (

    select
        person_id,
        sex,
        row_number() over (partition by person_id order by sighting_date desc, sex) as sex_recency
    from person_sightings
    where sex in ('1', '2')

),

persons as (

    select
        person_id,
        max(nhs_number_pseudonym) as nhs_number_pseudonym,
        count(distinct council_person_id_pseudonym) as council_person_id_count,
        max(birth_year_month) as birth_year_month,
        min(sighting_date) as first_seen_date,
        max(sighting_date) as last_seen_date,
        max(case when organisation = 'trust' then 1 else 0 end) = 1 as is_known_to_trust,
        max(case when organisation = 'ambulance' then 1 else 0 end) = 1 as is_known_to_ambulance,
        max(case when organisation = 'council' then 1 else 0 end) = 1 as is_known_to_council,
        count(*) as sighting_count,
        max(loaded_at) as last_loaded_at
    from person_sightings
    group by person_id

),

final as (

    select
        persons.person_id,
        persons.nhs_number_pseudonym,
        persons.nhs_number_pseudonym is not null as is_nhs_number_traced,
        cast(persons.council_person_id_count as {{ dbt.type_int() }}) as council_person_id_count,
        coalesce(latest_known_sex.sex, '9') as sex,
        persons.birth_year_month,
        persons.first_seen_date,
        persons.last_seen_date,
        persons.is_known_to_trust,
        persons.is_known_to_ambulance,
        persons.is_known_to_council,
        cast(
            case when persons.is_known_to_trust then 1 else 0 end
            + case when persons.is_known_to_ambulance then 1 else 0 end
            + case when persons.is_known_to_council then 1 else 0 end
            as {{ dbt.type_int() }}
        ) as organisations_known_to,
        cast(persons.sighting_count as {{ dbt.type_bigint() }}) as sighting_count,
        persons.last_loaded_at
    from persons
    left join latest_known_sex
        on persons.person_id = latest_known_sex.person_id
        and latest_known_sex.sex_recency = 1

)

select * from final
