{#- The recent-trend test (macro recent_trend: weighted least squares on five points,
    chi-squared > 9.5495 and a slope whose sign survives dropping each point) for every
    indicator and area, on the series the catalogue names (trend_series) with points
    trend_step_months apart ending at the latest period: with the defaults, the rolling
    12-month values at the latest month and 3, 6, 9 and 12 months before, spanning the
    24 months. Overlapping 12-month windows are not independent, so the test is read as
    the direction of travel, as the catalogue documents. -#}
with indicator_values as (

    select * from {{ ref('fct_indicator_values') }}

),

catalogue as (

    select * from {{ ref('indicator_catalogue') }}

),

latest_periods as (

    select indicator_id, period_type, max(period_month) as latest_period_month
    from indicator_values
    where is_latest_period
    group by indicator_id, period_type

),

trend_points as (

    select
        indicator_values.indicator_id,
        indicator_values.area_code,
        indicator_values.period_type,
        indicator_values.period_month,
        indicator_values.indicator_value,
        indicator_values.lower_ci_95,
        indicator_values.upper_ci_95,
        indicator_values.polarity
    from indicator_values
    inner join catalogue
        on indicator_values.indicator_id = catalogue.indicator_id
        and indicator_values.period_type = catalogue.trend_series
    inner join latest_periods
        on indicator_values.indicator_id = latest_periods.indicator_id
        and indicator_values.period_type = latest_periods.period_type
    where indicator_values.period_month <= latest_periods.latest_period_month
        and mod(
        {{ dbt.datediff('indicator_values.period_month', 'latest_periods.latest_period_month', 'month') }},
        catalogue.trend_step_months
    ) = 0

),

trends as (

    {{ footprint.recent_trend(
        'trend_points',
        partition_by=['indicator_id', 'area_code', 'period_type'],
        order_by='period_month',
        value='indicator_value',
        lower='lower_ci_95',
        upper='upper_ci_95',
        polarity='polarity') }}

),

final as (

    select
        indicator_id,
        area_code,
        cast(period_type as {{ dbt.type_string() }}) as trend_period_type,
        cast(n_points as {{ dbt.type_int() }}) as trend_points,
        first_period as trend_first_period_month,
        last_period as trend_last_period_month,
        {{ footprint.statistics_double('slope') }} as trend_slope_per_step,
        {{ footprint.statistics_double('chi_squared') }} as trend_chi_squared,
        cast(direction as {{ dbt.type_string() }}) as trend_direction,
        cast(trend as {{ dbt.type_string() }}) as trend_judgement,
        direction in ('increasing', 'decreasing') as is_trend_significant
    from trends

)

select * from final
