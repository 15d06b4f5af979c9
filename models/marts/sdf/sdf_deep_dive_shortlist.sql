{#- Published: the deep-dive shortlist of each SDF, the indicators worth a closer look on
    the latest headline period: outside the 99.8% overdispersion-adjusted funnel limits
    on the worse side (special-cause variation against the borough, beyond what the
    SDFs usually differ by), or worse than the borough beyond the 95% adjusted limits
    AND worsening over the 24 months (fct_indicator_trends.trend_judgement). Indicators
    with no judgement (no good direction) cannot be worse and are never listed. Rows
    whose funnel is suppressed (sdf.sdf_indicator_funnels) are left out. -#}
with funnels as (

    select * from {{ ref('sdf_indicator_funnels') }}

),

trends as (

    select * from {{ ref('fct_indicator_trends') }}

),

catalogue as (

    select * from {{ ref('indicator_catalogue') }}

),

candidates as (

    select
        funnels.area_code,
        funnels.area_name,
        funnels.indicator_id,
        catalogue.indicator_name,
        cast(catalogue.display_order as {{ dbt.type_int() }}) as display_order,
        catalogue.unit,
        funnels.polarity,
        funnels.period_type,
        funnels.period_start_date,
        funnels.period_end_date,
        funnels.indicator_value,
        funnels.borough_value,
        funnels.lower_limit_998,
        funnels.upper_limit_998,
        funnels.funnel_position,
        trends.trend_judgement,
        funnels.funnel_position = 'worse_998' as is_worse_outlier,
        funnels.funnel_position in ('worse_95', 'worse_998')
            and trends.trend_judgement = 'worsening' as is_worse_and_worsening
    from funnels
    inner join catalogue
        on funnels.indicator_id = catalogue.indicator_id
    left join trends
        on funnels.indicator_id = trends.indicator_id
        and funnels.area_code = trends.area_code
    where funnels.is_latest_period
        and funnels.funnel_position is not null

),

final as (

    select
        area_code,
        area_name,
        indicator_id,
        indicator_name,
        display_order,
        unit,
        polarity,
        period_type,
        period_start_date,
        period_end_date,
        indicator_value,
        borough_value,
        lower_limit_998,
        upper_limit_998,
        funnel_position,
        trend_judgement,
        case
            when is_worse_outlier and is_worse_and_worsening then 'worse_outlier_and_worsening'
            when is_worse_outlier then 'worse_outlier'
            else 'worse_and_worsening'
        end as shortlist_reason,
        cast(row_number() over (
            partition by area_code
            order by is_worse_outlier desc, is_worse_and_worsening desc, display_order
        ) as {{ dbt.type_int() }}) as shortlist_rank
    from candidates
    where is_worse_outlier or is_worse_and_worsening

)

select * from final
