{{ config(tags=['indicator']) }}

with episodes as (

    select * from {{ ref('fct_reablement_episodes') }}
    where is_aged_65_plus

),

scaffold as (

    {{ footprint.indicator_scaffold() }}

),

monthly_counts as (

    select
        residence_sdf_code as sdf_code,
        discharge_month_start_date as period_month,
        sum(case when is_at_home_91_days then 1 else 0 end) as at_home_episodes,
        count(*) as episodes
    from episodes
    group by residence_sdf_code, discharge_month_start_date

),

final as (

    select
        {{ footprint.indicator_columns('reablement_at_home_91_days', 'month',
            'monthly_counts.at_home_episodes', 'coalesce(monthly_counts.episodes, 0)') }}
    from scaffold
    left join monthly_counts
        on scaffold.sdf_code = monthly_counts.sdf_code
        and scaffold.period_month = monthly_counts.period_month

)

select * from final
