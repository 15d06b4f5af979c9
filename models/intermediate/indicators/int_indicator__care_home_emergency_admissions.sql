{{ config(tags=['indicator']) }}

with admissions as (

    select * from {{ ref('fct_inpatient_spells') }}
    where is_emergency_admission and is_admitted_from_care_home

),

scaffold as (

    {{ footprint.indicator_scaffold() }}

),

population as (

    {{ footprint.registered_population(min_age=65) }}

),

monthly_counts as (

    select
        registration_sdf_code as sdf_code,
        admission_month_start_date as period_month,
        count(*) as admissions
    from admissions
    group by registration_sdf_code, admission_month_start_date

),

final as (

    select
        {{ footprint.indicator_columns('care_home_emergency_admissions', 'month',
            'monthly_counts.admissions', 'population.population') }}
    from scaffold
    left join monthly_counts
        on scaffold.sdf_code = monthly_counts.sdf_code
        and scaffold.period_month = monthly_counts.period_month
    left join population
        on scaffold.sdf_code = population.sdf_code
        and scaffold.period_month = population.period_month

)

select * from final
