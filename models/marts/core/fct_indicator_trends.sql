{#- The recent-trend test (macro recent_trend: weighted least squares, chi-squared >
    9.5495 and a slope whose sign survives dropping each point) for every indicator and
    area, on the series the catalogue names (trend_series), ending at the latest period:
    - month: the single months of the last 24 (var trend_months), on the comparable
      scale (annualised where a month is a rate per head), at least 12 of them with a
      value; the weights 1 / variance assume Poisson (or binomial) spread, which
      clustered events exceed (one delayed spell gives many delayed days, one frequent
      attender many attendances), so the slope's variance is multiplied by the series'
      own dispersion factor (Pearson chi-squared over degrees of freedom, when above 1:
      quasi-Poisson). Each calendar month has its own level (season dummies): a
      straight line through 24 months from November to October falls with the winter
      peak alone. Non-overlapping months are independent points, so the test has the
      power five overlapping 12-month windows lacked.
    - rolling_12_months (measures defined over 12 months only): five rolling values
      trend_step_months apart, as Fingertips; overlapping windows are not independent,
      so this reads as the direction of travel only, and no dispersion is estimated
      from five smoothed points. -#}
{%- set trend_months = var('trend_months', 24) %}
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

series_points as (

    select
        indicator_values.indicator_id,
        indicator_values.area_code,
        indicator_values.period_type,
        indicator_values.period_month,
        indicator_values.comparable_value,
        indicator_values.comparable_lower_ci_95,
        indicator_values.comparable_upper_ci_95,
        indicator_values.polarity,
        catalogue.trend_step_months,
        {{ dbt.datediff('indicator_values.period_month', 'latest_periods.latest_period_month', 'month') }}
            as months_before_latest
    from indicator_values
    inner join catalogue
        on indicator_values.indicator_id = catalogue.indicator_id
        and indicator_values.period_type = catalogue.trend_series
    inner join latest_periods
        on indicator_values.indicator_id = latest_periods.indicator_id
        and indicator_values.period_type = latest_periods.period_type
    where indicator_values.period_month <= latest_periods.latest_period_month

),

monthly_points as (

    select * from series_points
    where period_type = 'month'
        and months_before_latest < {{ trend_months }}

),

rolling_points as (

    select * from series_points
    where period_type = 'rolling_12_months'
        and mod(months_before_latest, trend_step_months) = 0

),

monthly_trends as (

    {{ footprint.recent_trend(
        'monthly_points',
        partition_by=['indicator_id', 'area_code', 'period_type'],
        order_by='period_month',
        value='comparable_value',
        lower='comparable_lower_ci_95',
        upper='comparable_upper_ci_95',
        polarity='polarity',
        points=trend_months,
        min_points=(trend_months / 2) | int,
        overdispersion=true,
        season='extract(month from period_month)') }}

),

rolling_trends as (

    {{ footprint.recent_trend(
        'rolling_points',
        partition_by=['indicator_id', 'area_code', 'period_type'],
        order_by='period_month',
        value='comparable_value',
        lower='comparable_lower_ci_95',
        upper='comparable_upper_ci_95',
        polarity='polarity') }}

),

trends as (

    select * from monthly_trends
    union all
    select * from rolling_trends

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
        {{ footprint.statistics_double('dispersion') }} as trend_dispersion,
        cast(direction as {{ dbt.type_string() }}) as trend_direction,
        cast(trend as {{ dbt.type_string() }}) as trend_judgement,
        direction in ('increasing', 'decreasing') as is_trend_significant
    from trends

)

select * from final
