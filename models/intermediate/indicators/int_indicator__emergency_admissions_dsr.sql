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

    select
        {{ footprint.indicator_columns('emergency_admissions_dsr', 'month',
            'monthly_counts.admissions', 'population.population', age_band='scaffold.age_band') }}
    from scaffold
    left join monthly_counts
        on scaffold.sdf_code = monthly_counts.sdf_code
        and scaffold.period_month = monthly_counts.period_month
        and scaffold.age_band = monthly_counts.age_band
    left join population
        on scaffold.sdf_code = population.sdf_code
        and scaffold.period_month = population.period_month
        and scaffold.age_band = population.age_band

)

select * from final
