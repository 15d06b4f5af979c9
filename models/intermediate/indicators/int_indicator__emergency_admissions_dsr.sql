{{ config(tags=['indicator']) }}

with admissions as (

    select * from {{ ref('fct_inpatient_spells') }}
    where is_emergency_admission

),

scaffold as (

    {{ footprint.indicator_scaffold(by_age_band=true) }}

),

population as (

    {{ footprint.resident_population(by_age_band=true) }}

),

monthly_counts as (

    select
        residence_sdf_code as sdf_code,
        admission_month_start_date as period_month,
        age_band,
        count(*) as admissions
    from admissions
    group by residence_sdf_code, admission_month_start_date, age_band

),

final as (

    {{ footprint.age_band_indicator_rows('emergency_admissions_dsr', 'admissions') }}

)

select * from final
