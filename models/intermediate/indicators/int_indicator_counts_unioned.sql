{#- Every indicator model (the models tagged 'indicator') in one long table, for every
    SDF and the borough, monthly and rolling 12 months, within each indicator's
    reporting window (report month minus the catalogue's lag_months).

    The models come from footprint.indicator_models() (macros/indicators/indicator_inputs.sql),
    which also tells the parser about them. -#}
{%- set indicator_models = footprint.indicator_models() %}
{#- sums of fractional populations and coverages are exact (statistics_exact_sum), so
    the result is the same on every run -#}
{%- set rolling_window = 'partition by indicator_id, sdf_code, age_band order by period_month '
    ~ 'rows between 11 preceding and current row' %}

with catalogue as (

    select * from {{ ref('indicator_catalogue') }}

),

borough as (

    select * from {{ ref('borough') }}

),

reporting_months as (

    select * from {{ ref('int_reporting_months') }}

),

feed_coverage as (

    select * from {{ ref('int_feed_coverage_months') }}

),

indicator_month_coverage as (

    -- the least covered of the feeds the numerator is counted from ('org.feed; org.feed')
    select
        catalogue.indicator_id,
        feed_coverage.month_start_date,
        min(feed_coverage.coverage) as data_coverage
    from catalogue
    inner join feed_coverage
        on {{ dbt.position("feed_coverage.source_feed", "catalogue.numerator_feeds") }} > 0
    group by catalogue.indicator_id, feed_coverage.month_start_date

),

period_coverage as (

    select
        indicator_id,
        'month' as period_type,
        month_start_date as period_month,
        data_coverage
    from indicator_month_coverage

    union all

    select
        period_ends.indicator_id,
        'rolling_12_months' as period_type,
        period_ends.month_start_date as period_month,
        {{ footprint.statistics_exact_sum('window_months.data_coverage') }} / 12 as data_coverage
    from indicator_month_coverage as period_ends
    inner join indicator_month_coverage as window_months
        on period_ends.indicator_id = window_months.indicator_id
        and window_months.month_start_date <= period_ends.month_start_date
        and window_months.month_start_date > {{ footprint.add_months(-12, 'period_ends.month_start_date') }}
    group by period_ends.indicator_id, period_ends.month_start_date

),

indicator_rows as (

    {%- for model_name in indicator_models %}
    select indicator_id, sdf_code, period_type, period_month, age_band, numerator, denominator
    from {{ ref(model_name) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as indicator_id,
        cast(null as {{ dbt.type_string() }}) as sdf_code,
        cast(null as {{ dbt.type_string() }}) as period_type,
        cast(null as date) as period_month,
        cast(null as {{ dbt.type_string() }}) as age_band,
        {{ footprint.statistics_double('null') }} as numerator,
        {{ footprint.statistics_double('null') }} as denominator
    where 1 = 0
    {%- endfor %}

),

monthly_rows as (

    select indicator_rows.*, catalogue.rolling_12_months
    from indicator_rows
    inner join catalogue
        on indicator_rows.indicator_id = catalogue.indicator_id
    where indicator_rows.period_type = 'month'

),

derived_rolling_rows as (

    -- the scaffold gives every SDF a row in every month, so 12 rows back is 12 months
    select
        indicator_id,
        sdf_code,
        'rolling_12_months' as period_type,
        period_month,
        age_band,
        {{ footprint.statistics_exact_sum('numerator', over=rolling_window) }} as numerator,
        case
            when rolling_12_months = 'sum' then {{ footprint.statistics_exact_sum('denominator', over=rolling_window) }}
            else {{ footprint.statistics_exact_sum('denominator', over=rolling_window) }}
                / count(denominator) over ({{ rolling_window }})
        end as denominator,
        count(*) over (
            partition by indicator_id, sdf_code, age_band order by period_month
            rows between 11 preceding and current row
        ) as months_in_window
    from monthly_rows
    where rolling_12_months in ('sum', 'sum_numerator_mean_denominator')

),

sdf_rows as (

    select indicator_id, sdf_code, period_type, period_month, age_band, numerator, denominator
    from indicator_rows

    union all

    select indicator_id, sdf_code, period_type, period_month, age_band, numerator, denominator
    from derived_rolling_rows
    where months_in_window = 12

),

area_rows as (

    select
        indicator_id,
        'sdf' as area_type,
        sdf_code as area_code,
        period_type,
        period_month,
        age_band,
        numerator,
        denominator
    from sdf_rows

    union all

    -- every event and person is attributed to exactly one SDF, so the borough is the
    -- sum; days are not: every SDF has the same days, and so has the borough
    select
        sdf_rows.indicator_id,
        'borough' as area_type,
        borough.borough_code as area_code,
        sdf_rows.period_type,
        sdf_rows.period_month,
        sdf_rows.age_band,
        {{ footprint.statistics_exact_sum('sdf_rows.numerator') }} as numerator,
        case
            when max(catalogue.denominator_source) = 'days' then max(sdf_rows.denominator)
            else {{ footprint.statistics_exact_sum('sdf_rows.denominator') }}
        end as denominator
    from sdf_rows
    inner join catalogue
        on sdf_rows.indicator_id = catalogue.indicator_id
    cross join borough
    group by
        sdf_rows.indicator_id, borough.borough_code, sdf_rows.period_type,
        sdf_rows.period_month, sdf_rows.age_band

),

final as (

    select
        area_rows.indicator_id,
        cast(area_rows.area_type as {{ dbt.type_string() }}) as area_type,
        area_rows.area_code,
        cast(area_rows.period_type as {{ dbt.type_string() }}) as period_type,
        area_rows.period_month,
        area_rows.age_band,
        {{ footprint.statistics_double('area_rows.numerator') }} as numerator,
        {{ footprint.statistics_double('area_rows.denominator') }} as denominator,
        {{ footprint.statistics_double('coalesce(period_coverage.data_coverage, 0)') }} as data_coverage
    from area_rows
    inner join catalogue
        on area_rows.indicator_id = catalogue.indicator_id
    inner join reporting_months
        on area_rows.period_month = reporting_months.month_start_date
    left join period_coverage
        on area_rows.indicator_id = period_coverage.indicator_id
        and area_rows.period_type = period_coverage.period_type
        and area_rows.period_month = period_coverage.period_month
    where reporting_months.months_before_report >= catalogue.lag_months

)

select * from final
