{#- One pseudonymous person per NHS number; council identifiers are linked to the NHS
    number the council traced for them (the most recent one, if a council identifier
    was ever traced to more than one), and stand alone when never traced. Every
    identifier maps to exactly one person_id, a hash of the person's key, so that the
    same person carries the same person_id in every fact. -#}
with sightings as (

    select * from {{ ref('int_person_sightings_unioned') }}

),

council_traces as (

    select
        council_person_id_pseudonym,
        nhs_number_pseudonym,
        row_number() over (
            partition by council_person_id_pseudonym
            order by max(sighting_date) desc, nhs_number_pseudonym
        ) as trace_recency
    from sightings
    where council_person_id_pseudonym is not null
        and nhs_number_pseudonym is not null
    group by council_person_id_pseudonym, nhs_number_pseudonym

),

nhs_identifiers as (

    select distinct
        'nhs_number' as identifier_type,
        nhs_number_pseudonym as identifier_pseudonym,
        nhs_number_pseudonym as person_nhs_number_pseudonym
    from sightings
    where nhs_number_pseudonym is not null

),

council_identifiers as (

    select distinct
        'council_person_id' as identifier_type,
        sightings.council_person_id_pseudonym as identifier_pseudonym,
        council_traces.nhs_number_pseudonym as person_nhs_number_pseudonym
    from sightings
    left join council_traces
        on sightings.council_person_id_pseudonym = council_traces.council_person_id_pseudonym
        and council_traces.trace_recency = 1
    where sightings.council_person_id_pseudonym is not null

),

unioned as (

    select * from nhs_identifiers
    union all
    select * from council_identifiers

),

final as (

    select
        identifier_type,
        identifier_pseudonym,
        {{ dbt.hash(
            "case when person_nhs_number_pseudonym is not null then "
            ~ dbt.concat(["'nhs:'", 'person_nhs_number_pseudonym'])
            ~ " else " ~ dbt.concat(["'council:'", 'identifier_pseudonym']) ~ " end"
        ) }} as person_id,
        person_nhs_number_pseudonym
    from unioned

)

select * from final
