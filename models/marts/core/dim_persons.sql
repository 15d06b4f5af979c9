{#- One row per pseudonymous person seen by any of the four organisations. -#}
with sightings as (

    select * from {{ ref('int_person_sightings_unioned') }}

),

person_identifiers as (

    select * from {{ ref('int_person_identifiers_linked') }}

),

person_sightings as (

    -- a sighting's person is the one of its NHS number when it has one, else the one its
    -- council identifier is linked to: one join on whichever identifier decides
    select
        person_identifiers.person_id,
        person_identifiers.person_nhs_number_pseudonym as nhs_number_pseudonym,
        sightings.council_person_id_pseudonym,
        sightings.organisation,
        sightings.sighting_date,
        sightings.sex,
        sightings.birth_year_month
    from sightings
    left join person_identifiers
        on person_identifiers.identifier_type = case
            when sightings.nhs_number_pseudonym is not null then 'nhs_number'
            else 'council_person_id'
        end
        and person_identifiers.identifier_pseudonym
            = coalesce(sightings.nhs_number_pseudonym, sightings.council_person_id_pseudonym)

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
        max(case when organisation = 'council' then 1 else 0 end) = 1 as is_known_to_council
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
        ) as organisations_known_to
    from persons
    left join latest_known_sex
        on persons.person_id = latest_known_sex.person_id
        and latest_known_sex.sex_recency = 1

)

select * from final
