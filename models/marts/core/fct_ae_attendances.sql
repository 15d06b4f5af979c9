{{ footprint.incremental_fact_config('attendance_id', 'stg_trust__ae_attendances') }}
{#- Incremental (macros/helpers/incremental.sql): a night builds the attendances of new
    deliveries, and of deliveries where the practice map changed an attribution. -#}
with attendances as (

    select * from {{ ref('stg_trust__ae_attendances') }} as staged
    where {{ footprint.is_delivery_to_build(
        'staged', ref('stg_trust__ae_attendances'), ref('dim_practices'), 'arrival_date') }}

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

practices as (

    select * from {{ ref('dim_practices') }}

),

age_bands as (

    select * from {{ ref('dim_age_bands') }}

),

final as (

    select
        attendances.attendance_id,
        person_identifiers.person_id,
        attendances.arrival_at,
        attendances.departure_at,
        cast(attendances.arrival_at as date) as arrival_date,
        {{ footprint.month_of('attendances.arrival_at') }} as arrival_month_start_date,
        cast({{ dbt.datediff('attendances.arrival_at', 'attendances.departure_at', 'minute') }} as {{ dbt.type_int() }})
            as minutes_in_department,
        attendances.age_at_arrival,
        age_bands.age_band,
        attendances.sex,
        attendances.lsoa_code,
        lsoa_wards.ward_code,
        lsoas.sdf_code as residence_sdf_code,
        attendances.practice_code,
        practices.pcn_code,
        practices.sdf_code as registration_sdf_code,
        attendances.arrival_mode,
        attendances.arrival_mode = 'ambulance' as is_ambulance_arrival,
        attendances.acuity,
        attendances.chief_complaint,
        attendances.ae_discharge_destination,
        attendances.ae_discharge_destination = 'admitted' as is_admitted,
        attendances.delivery_id
    from attendances
    left join person_identifiers
        on attendances.nhs_number_pseudonym = person_identifiers.identifier_pseudonym
    left join lsoas
        on attendances.lsoa_code = lsoas.lsoa_code
    left join lsoa_wards
        on attendances.lsoa_code = lsoa_wards.lsoa_code
        and {{ footprint.is_valid_on('cast(attendances.arrival_at as date)', 'lsoa_wards.valid_from', 'lsoa_wards.valid_to') }}
    left join practices
        on attendances.practice_code = practices.practice_code
        and {{ footprint.is_valid_on('cast(attendances.arrival_at as date)', 'practices.valid_from', 'practices.valid_to') }}
    left join age_bands
        on {{ footprint.age_in_band('attendances.age_at_arrival', 'age_bands.age_from', 'age_bands.age_to') }}

)

select * from final
