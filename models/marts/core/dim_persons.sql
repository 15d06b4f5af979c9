{#- One row per pseudonymous person seen by any of the four organisations. -#}
with sightings as (

    select * from {{ ref('int_person_sightings_unioned') }}

),

person_identifiers as (

    select * from {{ ref('int_person_identifiers_linked') }}

),

person_sightings as (

    select
        coalesce(by_nhs_number.person_id, by_council_id.person_id) as person_id,
        coalesce(by_nhs_number.person_nhs_number_pseudonym, by_council_id.person_nhs_number_pseudonym)
            as nhs_number_pseudonym,
        sightings.council_person_id_pseudonym,
        sightings.organisation,
        sightings.sighting_date,
        sightings.sex,
        sightings.birth_year_month
    from sightings
    left join person_identifiers as by_nhs_number
        on by_nhs_number.identifier_type = 'nhs_number'
        and sightings.nhs_number_pseudonym = by_nhs_number.identifier_pseudonym
    left join person_identifiers as by_council_id
        on by_council_id.identifier_type = 'council_person_id'
        and sightings.council_person_id_pseudonym = by_council_id.identifier_pseudonym

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
