{{ config(tags=['indicator']) }}

with attendances as (

    select * from {{ ref('fct_ae_attendances') }}
    where age_at_arrival >= 75

),

scaffold as (

    {{ footprint.indicator_scaffold() }}

),

population as (

    {{ footprint.resident_population(min_age=75) }}

),

monthly_counts as (

    select
        residence_sdf_code as sdf_code,
        arrival_month_start_date as period_month,
        count(*) as attendances
    from attendances
    group by residence_sdf_code, arrival_month_start_date

),

final as (

    select
        {{ footprint.indicator_columns('ae_attendances_75_plus', 'month',
            'monthly_counts.attendances', 'population.population') }}
    from scaffold
    left join monthly_counts
        on scaffold.sdf_code = monthly_counts.sdf_code
        and scaffold.period_month = monthly_counts.period_month
    left join population
        on scaffold.sdf_code = population.sdf_code
        and scaffold.period_month = population.period_month

)

select * from final
