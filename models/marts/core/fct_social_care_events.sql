{#- Each event as the council last sent it (int_asc_events_deduplicated). -#}
with events as (

    select * from {{ ref('int_asc_events_deduplicated') }}

),

person_identifiers as (

    select * from {{ ref('int_person_identifiers_linked') }}

),

lsoas as (

    select * from {{ ref('dim_lsoas') }}

),

lsoa_wards as (

    select * from {{ ref('dim_lsoa_wards') }}

),

age_bands as (

    select * from {{ ref('dim_age_bands') }}

),

events_with_age as (

    select
        events.*,
        {{ footprint.age_from_birth_year_month('events.birth_year_month', 'events.event_start_date') }} as age_at_start
    from events

),

final as (

    select
        events_with_age.event_id,
        coalesce(by_nhs_number.person_id, by_council_id.person_id) as person_id,
        events_with_age.event_type,
        events_with_age.event_start_date,
        events_with_age.event_end_date,
        {{ footprint.month_of('events_with_age.event_start_date') }} as event_start_month_start_date,
        events_with_age.service_type,
        events_with_age.event_outcome,
        events_with_age.event_type = 'service'
            and events_with_age.service_type in ('residential', 'nursing') as is_long_term_care_placement,
        events_with_age.birth_year_month,
        events_with_age.age_at_start,
        age_bands.age_band,
        events_with_age.sex,
        events_with_age.lsoa_code,
        lsoa_wards.ward_code,
        lsoas.sdf_code as residence_sdf_code,
        events_with_age.delivery_id,
        events_with_age.delivery_period_start_date
    from events_with_age
    left join person_identifiers as by_nhs_number
        on by_nhs_number.identifier_type = 'nhs_number'
        and events_with_age.nhs_number_pseudonym = by_nhs_number.identifier_pseudonym
    left join person_identifiers as by_council_id
        on by_council_id.identifier_type = 'council_person_id'
        and events_with_age.council_person_id_pseudonym = by_council_id.identifier_pseudonym
    left join lsoas
        on events_with_age.lsoa_code = lsoas.lsoa_code
    left join lsoa_wards
        on events_with_age.lsoa_code = lsoa_wards.lsoa_code
        and {{ footprint.is_valid_on('events_with_age.event_start_date', 'lsoa_wards.valid_from', 'lsoa_wards.valid_to') }}
    left join age_bands
        on {{ footprint.age_in_band('events_with_age.age_at_start', 'age_bands.age_from', 'age_bands.age_to') }}

)

select * from final
