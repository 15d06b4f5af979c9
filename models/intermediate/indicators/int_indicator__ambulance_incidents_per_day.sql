{{ config(tags=['indicator']) }}

with incidents as (

    select * from {{ ref('fct_ambulance_incidents') }}

),

scaffold as (

    {{ footprint.indicator_scaffold() }}

),

monthly_counts as (

    select
        residence_sdf_code as sdf_code,
        call_month_start_date as period_month,
        count(*) as incidents
    from incidents
    group by residence_sdf_code, call_month_start_date

),

final as (

    select
        {{ footprint.indicator_columns('ambulance_incidents_per_day', 'month',
            'monthly_counts.incidents', 'scaffold.days_in_month') }}
    from scaffold
    left join monthly_counts
        on scaffold.sdf_code = monthly_counts.sdf_code
        and scaffold.period_month = monthly_counts.period_month

)

select * from final
