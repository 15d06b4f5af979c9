{#- Registered patients counted at the start of each month, with the practice's SDF in
    that month (registration) and the patients' LSOA's SDF (residence). -#}
{{ footprint.incremental_fact_config('registered_population_id', 'stg_ccg__gp_registrations') }}
{#- Incremental (macros/helpers/incremental.sql): a night builds the months of new
    deliveries (a refreshed month replaces the month), and the months where the
    practice map changed a practice's PCN or SDF. -#}
with registrations as (

    select * from {{ ref('stg_ccg__gp_registrations') }} as staged
    where {{ footprint.is_delivery_to_build(
        'staged', ref('stg_ccg__gp_registrations'), ref('dim_practices'), 'registration_month_start_date') }}

),

deliveries as (

    select * from {{ ref('stg_ingest__load_manifest') }}

),

lsoas as (

    select * from {{ ref('dim_lsoas') }}

),

practices as (

    select * from {{ ref('dim_practices') }}

),

registrations_by_month as (

    select
        registrations.*,
        {{ footprint.month_of('deliveries.period_start_date') }} as registration_month_start_date
    from registrations
    inner join deliveries
        on registrations.delivery_id = deliveries.delivery_id

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            dbt.cast('registrations_by_month.registration_month_start_date', dbt.type_string()), "'|'",
            'registrations_by_month.practice_code', "'|'",
            'registrations_by_month.lsoa_code', "'|'",
            'registrations_by_month.sex', "'|'",
            'registrations_by_month.age_band'
        ])) }} as registered_population_id,
        registrations_by_month.registration_month_start_date,
        registrations_by_month.practice_code,
        practices.pcn_code,
        practices.sdf_code as registration_sdf_code,
        registrations_by_month.lsoa_code,
        lsoas.sdf_code as residence_sdf_code,
        registrations_by_month.sex,
        registrations_by_month.age_band,
        registrations_by_month.registered_patients,
        registrations_by_month.delivery_id
    from registrations_by_month
    left join lsoas
        on registrations_by_month.lsoa_code = lsoas.lsoa_code
    left join practices
        on registrations_by_month.practice_code = practices.practice_code
        and {{ footprint.is_valid_on('registrations_by_month.registration_month_start_date', 'practices.valid_from', 'practices.valid_to') }}

)

select * from final
