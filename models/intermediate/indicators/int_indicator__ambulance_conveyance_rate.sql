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
        sum(case when is_conveyed then 1 else 0 end) as conveyed_incidents,
        count(*) as incidents
    from incidents
    group by residence_sdf_code, call_month_start_date

),

final as (

    select
        {{ footprint.indicator_columns('ambulance_conveyance_rate', 'month',
            'monthly_counts.conveyed_incidents', 'coalesce(monthly_counts.incidents, 0)') }}
    from scaffold
    left join monthly_counts
        on scaffold.sdf_code = monthly_counts.sdf_code
        and scaffold.period_month = monthly_counts.period_month

)

select * from final
