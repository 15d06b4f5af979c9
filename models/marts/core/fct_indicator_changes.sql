{#- The change against the previous 12 months: for every indicator and area, the latest
    rolling 12-month value against the 12 months before it (the rolling value 12 months
    earlier: the two periods do not overlap), with its 95% interval by value type
    (macros/statistics/compare_periods.sql):
      proportion       difference in the unit (percentage points), Newcombe's hybrid
                       score interval;
      crude_rate, count ratio of the two rates, log-normal interval;
      dsr              ratio of the two DSRs, log-normal interval from their variances;
      life_expectancy  difference in years, normal interval from the two intervals
                       (their standard errors combined; no dispersion factor: the
                       life table's variance is its own).
    Events that come in runs spread more than Poisson or binomial counts: every
    interval uses the dispersion factor the trend test estimated from the same area's 24
    single months (fct_indicator_trends.trend_dispersion; 1 for 12-month measures) -
    the ratio's log variance times phi, and, for proportions, Newcombe's interval on the
    effective sample sizes x / phi and n / phi. change_judgement reads a significant
    change through polarity (improved / worsened; higher / lower with no judgement).
    Not enough data when either period lacks a value (24 months of deliveries give the
    two periods only when the indicator has no lag). -#}
with indicator_values as (

    select * from {{ ref('fct_indicator_values') }}

),

trends as (

    select * from {{ ref('fct_indicator_trends') }}

),

latest_values as (

    select *
    from indicator_values
    where period_type = 'rolling_12_months'
        and is_latest_period

),

paired as (

    select
        latest_values.indicator_id,
        latest_values.area_code,
        latest_values.method,
        latest_values.multiplier,
        latest_values.polarity,
        latest_values.period_month as current_period_month,
        previous_values.period_month as previous_period_month,
        latest_values.numerator as current_numerator,
        latest_values.denominator as current_denominator,
        latest_values.indicator_value as current_value,
        latest_values.lower_ci_95 as current_lower_ci_95,
        latest_values.upper_ci_95 as current_upper_ci_95,
        previous_values.numerator as previous_numerator,
        previous_values.denominator as previous_denominator,
        previous_values.indicator_value as previous_value,
        previous_values.lower_ci_95 as previous_lower_ci_95,
        previous_values.upper_ci_95 as previous_upper_ci_95,
        coalesce(trends.trend_dispersion, 1) as dispersion
    from latest_values
    left join indicator_values as previous_values
        on latest_values.indicator_id = previous_values.indicator_id
        and latest_values.area_code = previous_values.area_code
        and previous_values.period_type = 'rolling_12_months'
        and previous_values.period_month = {{ footprint.add_months(-12, 'latest_values.period_month') }}
    left join trends
        on latest_values.indicator_id = trends.indicator_id
        and latest_values.area_code = trends.area_code

),

log_variances as (

    select
        paired.*,
        case
            when method in ('crude_rate', 'count') then
                {{ footprint.rate_ratio_log_variance('current_numerator', 'previous_numerator', 'dispersion') }}
            when method = 'dsr' then
                {{ footprint.dsr_ratio_log_variance(
                    'current_value',
                    footprint.dsr_variance('current_value', 'current_upper_ci_95', 'current_numerator'),
                    'previous_value',
                    footprint.dsr_variance('previous_value', 'previous_upper_ci_95', 'previous_numerator'),
                    'dispersion') }}
        end as log_variance
    from paired
    where current_value is not null and previous_value is not null

),

changes as (

    select
        indicator_id,
        area_code,
        case
            when method in ('proportion', 'life_expectancy') then (current_value - previous_value)
            when previous_value > 0 then current_value / previous_value
        end as change_value,
        case
            when method = 'proportion' then
                {{ footprint.newcombe_difference_lower('current_numerator / dispersion', 'current_denominator / dispersion',
                    'previous_numerator / dispersion', 'previous_denominator / dispersion') }} * multiplier
            when method = 'life_expectancy' then
                {{ footprint.estimate_difference_lower(
                    'current_value', 'current_lower_ci_95', 'current_upper_ci_95', 'previous_value', 'previous_lower_ci_95', 'previous_upper_ci_95') }}
            when previous_value > 0 then
                {{ footprint.log_ratio_lower('current_value / previous_value', 'log_variance') }}
        end as change_lower_ci_95,
        case
            when method = 'proportion' then
                {{ footprint.newcombe_difference_upper('current_numerator / dispersion', 'current_denominator / dispersion',
                    'previous_numerator / dispersion', 'previous_denominator / dispersion') }} * multiplier
            when method = 'life_expectancy' then
                {{ footprint.estimate_difference_upper(
                    'current_value', 'current_lower_ci_95', 'current_upper_ci_95', 'previous_value', 'previous_lower_ci_95', 'previous_upper_ci_95') }}
            when previous_value > 0 then
                {{ footprint.log_ratio_upper('current_value / previous_value', 'log_variance') }}
        end as change_upper_ci_95
    from log_variances

),

final as (

    select
        paired.indicator_id,
        paired.area_code,
        paired.current_period_month as change_current_period_month,
        {{ footprint.add_months(-12, 'paired.current_period_month') }} as change_previous_period_month,
        paired.current_numerator as change_current_numerator,
        paired.previous_numerator as change_previous_numerator,
        paired.current_denominator as change_current_denominator,
        paired.previous_denominator as change_previous_denominator,
        {{ footprint.statistics_double('paired.current_value') }} as change_current_value,
        {{ footprint.statistics_double('paired.previous_value') }} as change_previous_value,
        cast(case when paired.method in ('proportion', 'life_expectancy') then 'difference' else 'ratio' end
            as {{ dbt.type_string() }})
            as change_type,
        {{ footprint.statistics_double('changes.change_value') }} as change_value,
        {{ footprint.statistics_double('changes.change_lower_ci_95') }} as change_lower_ci_95,
        {{ footprint.statistics_double('changes.change_upper_ci_95') }} as change_upper_ci_95,
        {{ footprint.statistics_double('paired.dispersion') }} as change_dispersion,
        cast({{ footprint.change_judgement('changes.change_lower_ci_95', 'changes.change_upper_ci_95',
            "case when paired.method in ('proportion', 'life_expectancy') then 0 else 1 end", 'paired.polarity') }}
            as {{ dbt.type_string() }}) as change_judgement
    from paired
    left join changes
        on paired.indicator_id = changes.indicator_id
        and paired.area_code = changes.area_code

)

select * from final
