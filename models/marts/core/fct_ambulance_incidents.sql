{#- The ambulance service sends the LSOA of the incident, not of the patient's home:
    residence attribution uses the incident's LSOA (most incidents happen at home). -#}
{{ footprint.incremental_fact_config('incident_id', 'stg_ambulance__incidents') }}
{#- Incremental (macros/helpers/incremental.sql): a night builds the incidents of new
    deliveries only (nothing here depends on the practice map). -#}
with incidents as (

    select * from {{ ref('stg_ambulance__incidents') }} as staged
    where {{ footprint.is_delivery_to_build('staged', ref('stg_ambulance__incidents')) }}

),

person_identifiers as (

    select * from {{ ref('int_person_identifiers_linked') }}
    where identifier_type = 'nhs_number'

),

lsoas as (

    select * from {{ ref('dim_lsoas') }}

),

lsoa_wards as (

    select * from {{ ref('dim_lsoa_wards') }}

),

final as (

    select
        incidents.incident_id,
        person_identifiers.person_id,
        incidents.call_at,
        cast(incidents.call_at as date) as call_date,
        {{ footprint.month_of('incidents.call_at') }} as call_month_start_date,
        incidents.incident_category,
        incidents.incident_outcome,
        incidents.incident_outcome = 'see_and_convey' as is_conveyed,
        incidents.lsoa_code,
        lsoa_wards.ward_code,
        lsoas.sdf_code as residence_sdf_code,
        incidents.nhs_number_pseudonym is not null as is_patient_traced,
        incidents.delivery_id
    from incidents
    left join person_identifiers
        on incidents.nhs_number_pseudonym = person_identifiers.identifier_pseudonym
    left join lsoas
        on incidents.lsoa_code = lsoas.lsoa_code
    left join lsoa_wards
        on incidents.lsoa_code = lsoa_wards.lsoa_code
        and {{ footprint.is_valid_on('cast(incidents.call_at as date)', 'lsoa_wards.valid_from', 'lsoa_wards.valid_to') }}

)

select * from final
