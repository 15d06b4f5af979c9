{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['identifier_type', 'identifier_pseudonym'],
    on_schema_change='fail',
    pre_hook="{% if is_incremental() %}delete from {{ this }} where identifier_type = 'council_person_id' or identifier_pseudonym not in (select named.nhs_number_pseudonym from {{ ref('int_person_sightings_unioned') }} as named where named.nhs_number_pseudonym is not null){% endif %}"
) }}
{#- One pseudonymous person per NHS number; council identifiers are linked to the NHS
    number the council traced for them (the most recent one, if a council identifier
    was ever traced to more than one), and stand alone when never traced. Every
    identifier maps to exactly one person_id, a hash of the person's key, so that the
    same person carries the same person_id in every fact.

    Incremental: a night adds the NHS numbers not seen yet (an NHS number's row never
    changes) and rebuilds the council's identifiers, which are few and can be traced
    anew; the pre-hook deletes them and the NHS numbers no record names any more. -#}
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
    {%- if is_incremental() %}
        and nhs_number_pseudonym not in (
            select built.identifier_pseudonym
            from {{ this }} as built
            where built.identifier_type = 'nhs_number'
        )
    {%- endif %}

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
