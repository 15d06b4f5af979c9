{{ config(tags=['indicator']) }}

with delayed_discharges as (

    select * from {{ ref('fct_delayed_discharges') }}
    where residence_sdf_code is not null

),

scaffold as (

    {{ footprint.indicator_scaffold() }}

),

population as (

    {{ footprint.resident_population(min_age=18) }}

),

monthly_counts as (

    select
        residence_sdf_code as sdf_code,
        discharge_month_start_date as period_month,
        sum(delay_days) as delay_days
    from delayed_discharges
    group by residence_sdf_code, discharge_month_start_date

),

final as (

    select
        {{ footprint.indicator_columns('delayed_discharge_days_per_100k_adults', 'month',
            'monthly_counts.delay_days', 'population.population') }}
    from scaffold
    left join monthly_counts
        on scaffold.sdf_code = monthly_counts.sdf_code
        and scaffold.period_month = monthly_counts.period_month
    left join population
        on scaffold.sdf_code = population.sdf_code
        and scaffold.period_month = population.period_month

)

select * from final
