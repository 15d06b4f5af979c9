{#- The SDF profile: for every area (each SDF and the borough) and indicator, the latest
    value of the catalogue's headline period type with its interval, the borough and
    England values and comparisons, the 24-month trend, the change against the previous
    12 months, the outlier flag (the funnel's: fct_indicator_funnels) and, for key
    performance targets, progress against target. Unsuppressed: the published twin is
    sdf.sdf_profiles. -#}
with indicator_values as (

    select * from {{ ref('fct_indicator_values') }}

),

trends as (

    select * from {{ ref('fct_indicator_trends') }}

),

funnels as (

    select * from {{ ref('fct_indicator_funnels') }}

),

changes as (

    select * from {{ ref('fct_indicator_changes') }}

),

catalogue as (

    select * from {{ ref('indicator_catalogue') }}

),

latest_values as (

    select indicator_values.*
    from indicator_values
    inner join catalogue
        on indicator_values.indicator_id = catalogue.indicator_id
        and indicator_values.period_type = catalogue.headline_period_type
    where indicator_values.is_latest_period

),

final as (

    select
        latest_values.area_code,
        latest_values.area_name,
        latest_values.area_type,
        latest_values.indicator_id,
        catalogue.indicator_name,
        cast(catalogue.display_order as {{ dbt.type_int() }}) as display_order,
        catalogue.unit,
        latest_values.method,
        catalogue.polarity,
        catalogue.indicator_type,
        catalogue.framework,
        catalogue.framework_code,
        catalogue.framework_version,
        catalogue.owner_organisation,
        catalogue.attribution,
        latest_values.period_type,
        latest_values.period_start_date,
        latest_values.period_end_date,
        latest_values.numerator,
        latest_values.denominator,
        latest_values.indicator_value,
        latest_values.lower_ci_95,
        latest_values.upper_ci_95,
        latest_values.borough_value,
        latest_values.comparison_with_borough,
        latest_values.england_value,
        latest_values.comparison_with_england,
        -- outside the 99.8% overdispersion-adjusted funnel limits; blank when the funnel
        -- holds a suppressed count (its limits are built from every SDF's count)
        case when not funnels.has_suppressed_sdf then funnels.is_outlier end as is_outlier,
        trends.trend_period_type,
        trends.trend_first_period_month,
        trends.trend_last_period_month,
        trends.trend_points,
        trends.trend_slope_per_step,
        trends.trend_chi_squared,
        trends.trend_direction,
        trends.trend_judgement,
        trends.is_trend_significant,
        latest_values.target_value,
        latest_values.target_status,
        trends.trend_dispersion,
        changes.change_current_numerator,
        changes.change_previous_numerator,
        changes.change_current_denominator,
        changes.change_previous_denominator,
        changes.change_current_value,
        changes.change_previous_value,
        changes.change_type,
        changes.change_value,
        changes.change_lower_ci_95,
        changes.change_upper_ci_95,
        changes.change_judgement
    from latest_values
    inner join catalogue
        on latest_values.indicator_id = catalogue.indicator_id
    left join trends
        on latest_values.indicator_id = trends.indicator_id
        and latest_values.area_code = trends.area_code
    left join funnels
        on latest_values.indicator_id = funnels.indicator_id
        and latest_values.period_type = funnels.period_type
        and latest_values.period_month = funnels.period_month
        and latest_values.area_code = funnels.area_code
    left join changes
        on latest_values.indicator_id = changes.indicator_id
        and latest_values.area_code = changes.area_code

)

select * from final
