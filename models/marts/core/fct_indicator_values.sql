{#- Every indicator for every SDF and the borough, per month and per rolling 12
    months, with its 95% interval by the catalogue's method (proportion: Wilson;
    crude_rate: Byars, exact below 10; count: Byars on the count; dsr: ESP 2013 with
    Dobson limits, null below 10 events; life_expectancy: at birth, Chiang II life table
    over the 20 bands, 12-month periods only, null where PHE suppresses it), the borough
    and England values, comparisons read through polarity and progress
    against target. A count per day has the borough's own count per day as the borough
    value; an SDF's count (per day or not) is part of the borough's, so it is not
    compared (incidents per 1,000 residents compare SDFs). Unrounded and
    unsuppressed: the published twin is sdf.sdf_indicator_values.
    Missing deliveries: data_coverage is the share of the period the numerator feeds'
    loaded deliveries cover. A rate per population or per day is taken over the observed
    time (denominator x coverage), so a rejected monthly file does not read as a month
    without events; proportions need no adjustment (numerator and denominator come from
    the same deliveries). A period covered less than var('indicator_min_coverage')
    (default 0.5) has no value; the latest period is the latest one with enough data.
    Sums of floating-point numerators and denominators are exact (statistics_exact_sum),
    so two builds of the same deliveries give the same values to the last bit.
    Comparable values (comparable_value and its limits) put a single month on the scale
    of the rolling 12 months ending with it, so both can share one chart axis: a month's
    events per head (crude rates and DSRs over a population, summed over the period) are
    annualised, times the days in the 12 months ending with the month over the days in
    the month (annualisation_factor); proportions, per-day rates, the 12-month values
    themselves and the indicators defined on their own terms (from_model: stocks, and
    12-month measures) keep a factor of 1. -#}
{%- set min_coverage = var('indicator_min_coverage', 0.5) %}
with unioned_counts as (

    select * from {{ ref('int_indicator_counts_unioned') }}

),

catalogue as (

    select * from {{ ref('indicator_catalogue') }}

),

counts as (

    -- population and day denominators over the observed part of the period
    select
        unioned_counts.indicator_id,
        unioned_counts.area_type,
        unioned_counts.area_code,
        unioned_counts.period_type,
        unioned_counts.period_month,
        unioned_counts.age_band,
        unioned_counts.numerator,
        case
            when catalogue.denominator_source in ('resident_population', 'registered_population', 'days')
                then unioned_counts.denominator * unioned_counts.data_coverage
            else unioned_counts.denominator
        end as denominator,
        unioned_counts.data_coverage
    from unioned_counts
    inner join catalogue
        on unioned_counts.indicator_id = catalogue.indicator_id

),

england as (

    select * from {{ ref('england_benchmarks') }}

),

age_bands as (

    select * from {{ ref('dim_age_bands') }}

),

reporting_months as (

    select * from {{ ref('int_reporting_months') }}

),

crude_values as (

    select
        counts.indicator_id,
        counts.area_type,
        counts.area_code,
        counts.period_type,
        counts.period_month,
        {{ footprint.statistics_exact_sum('counts.numerator') }} as numerator,
        {{ footprint.statistics_exact_sum('counts.denominator') }} as denominator,
        max(catalogue.method) as method,
        max(catalogue.multiplier) as multiplier,
        min(counts.data_coverage) as data_coverage
    from counts
    inner join catalogue
        on counts.indicator_id = catalogue.indicator_id
    where catalogue.method not in ('dsr', 'life_expectancy')
    group by counts.indicator_id, counts.area_type, counts.area_code, counts.period_type, counts.period_month

),

crude_intervals as (

    select
        crude_values.*,
        {{ footprint.indicator_interval_columns('method', 'numerator', 'denominator', 'multiplier') }}
    from crude_values

),

standardised_intervals as (

    -- one input row per age band; the scaffold gives every area all 19 bands
    select
        counts.indicator_id,
        counts.area_type,
        counts.area_code,
        counts.period_type,
        counts.period_month,
        {{ footprint.statistics_exact_sum('counts.numerator') }} as numerator,
        {{ footprint.statistics_exact_sum('counts.denominator') }} as denominator,
        max(catalogue.method) as method,
        max(catalogue.multiplier) as multiplier,
        min(counts.data_coverage) as data_coverage,
        {{ footprint.dsr_interval_columns('counts.numerator', 'counts.denominator',
            'age_bands.esp2013_standard_population', 'max(catalogue.multiplier)') }}
    from counts
    inner join catalogue
        on counts.indicator_id = catalogue.indicator_id
    inner join age_bands
        on counts.age_band = age_bands.age_band
    where catalogue.method = 'dsr'
    group by counts.indicator_id, counts.area_type, counts.area_code, counts.period_type, counts.period_month

),

life_table_bands as (

    -- one row per life-table band (0, 1-4, 5-9 ... 90+); annual rates, so 12 months only
    select
        counts.indicator_id,
        counts.area_type,
        counts.area_code,
        counts.period_type,
        counts.period_month,
        case
            when counts.age_band = '0' then 0
            else cast({{ dbt.split_part("replace(counts.age_band, '+', '')", "'-'", 1) }} as {{ dbt.type_int() }})
        end as start_age,
        counts.numerator as deaths,
        counts.denominator as population,
        counts.data_coverage
    from counts
    inner join catalogue
        on counts.indicator_id = catalogue.indicator_id
    where catalogue.method = 'life_expectancy'
        and counts.period_type = 'rolling_12_months'

),

life_tables as (

    {{ footprint.life_expectancy('life_table_bands',
        group_columns=['indicator_id', 'area_type', 'area_code', 'period_type', 'period_month']) }}

),

life_expectancy_intervals as (

    select
        life_table_bands.indicator_id,
        life_table_bands.area_type,
        life_table_bands.area_code,
        life_table_bands.period_type,
        life_table_bands.period_month,
        {{ footprint.statistics_exact_sum('life_table_bands.deaths') }} as numerator,
        {{ footprint.statistics_exact_sum('life_table_bands.population') }} as denominator,
        'life_expectancy' as method,
        cast(1 as {{ footprint.statistics_type_double() }}) as multiplier,
        min(life_table_bands.data_coverage) as data_coverage,
        max({{ footprint.life_expectancy_value('life_tables.') }}) as indicator_value,
        max({{ footprint.life_expectancy_lower('life_tables.') }}) as lower_ci_95,
        max({{ footprint.life_expectancy_upper('life_tables.') }}) as upper_ci_95
    from life_table_bands
    inner join life_tables
        on life_table_bands.indicator_id = life_tables.indicator_id
        and life_table_bands.area_code = life_tables.area_code
        and life_table_bands.period_type = life_tables.period_type
        and life_table_bands.period_month = life_tables.period_month
        and life_tables.start_age = 0
    group by
        life_table_bands.indicator_id, life_table_bands.area_type, life_table_bands.area_code,
        life_table_bands.period_type, life_table_bands.period_month

),

all_values as (

    select * from crude_intervals
    union all
    select
        indicator_id, area_type, area_code, period_type, period_month, numerator, denominator,
        method, multiplier, data_coverage, indicator_value, lower_ci_95, upper_ci_95
    from standardised_intervals
    union all
    select
        indicator_id, area_type, area_code, period_type, period_month, numerator, denominator,
        method, multiplier, data_coverage, indicator_value, lower_ci_95, upper_ci_95
    from life_expectancy_intervals

),

area_values as (

    select
        indicator_id, area_type, area_code, period_type, period_month, numerator, denominator,
        method, multiplier, data_coverage,
        data_coverage >= {{ min_coverage }} as has_sufficient_data,
        case when data_coverage >= {{ min_coverage }} then indicator_value end as indicator_value,
        case when data_coverage >= {{ min_coverage }} then lower_ci_95 end as lower_ci_95,
        case when data_coverage >= {{ min_coverage }} then upper_ci_95 end as upper_ci_95
    from all_values

),

borough_values as (

    select * from area_values
    where area_type = 'borough'

),

latest_periods as (

    select indicator_id, period_type, max(period_month) as latest_period_month
    from area_values
    where has_sufficient_data
    group by indicator_id, period_type

),

areas as (

    select * from {{ ref('int_report_areas') }}

),

annualised as (

    -- one factor per indicator, period type and month (see the header)
    select distinct
        area_values.indicator_id,
        area_values.period_type,
        area_values.period_month,
        case
            when area_values.period_type = 'month'
                and catalogue.method in ('crude_rate', 'dsr')
                and catalogue.denominator_source in ('resident_population', 'registered_population')
                and catalogue.rolling_12_months = 'sum_numerator_mean_denominator'
                then
                    cast({{ dbt.datediff(footprint.add_months(-11, 'area_values.period_month'),
                        'reporting_months.month_end_date', 'day') }} + 1 as {{ footprint.statistics_type_double() }})
                    / ({{ dbt.datediff('area_values.period_month', 'reporting_months.month_end_date', 'day') }} + 1)
            else 1
        end as annualisation_factor
    from area_values
    inner join catalogue
        on area_values.indicator_id = catalogue.indicator_id
    inner join reporting_months
        on area_values.period_month = reporting_months.month_start_date

),

final as (

    select
        area_values.indicator_id,
        area_values.area_type,
        area_values.area_code,
        areas.area_name,
        area_values.period_type,
        area_values.period_month,
        case
            when area_values.period_type = 'month' then area_values.period_month
            else {{ footprint.add_months(-11, 'area_values.period_month') }}
        end as period_start_date,
        reporting_months.month_end_date as period_end_date,
        coalesce(area_values.period_month = latest_periods.latest_period_month, false) as is_latest_period,
        {{ footprint.statistics_double('area_values.data_coverage') }} as data_coverage,
        area_values.has_sufficient_data,
        area_values.method,
        catalogue.unit,
        {{ footprint.statistics_double('area_values.multiplier') }} as multiplier,
        catalogue.polarity,
        area_values.numerator,
        area_values.denominator,
        {{ footprint.statistics_double('area_values.indicator_value') }} as indicator_value,
        {{ footprint.statistics_double('area_values.lower_ci_95') }} as lower_ci_95,
        {{ footprint.statistics_double('area_values.upper_ci_95') }} as upper_ci_95,
        {{ footprint.statistics_double('borough_values.indicator_value') }} as borough_value,
        {{ footprint.statistics_double('borough_values.lower_ci_95') }} as borough_lower_ci_95,
        {{ footprint.statistics_double('borough_values.upper_ci_95') }} as borough_upper_ci_95,
        case
            -- an SDF's count (per day or not) is part of the borough's: not comparable
            when area_values.area_type = 'borough' or area_values.method = 'count'
                or catalogue.denominator_source = 'days' then 'not_applicable'
            else {{ footprint.compare_to_benchmark('area_values.lower_ci_95', 'area_values.upper_ci_95',
                'borough_values.indicator_value', 'catalogue.polarity') }}
        end as comparison_with_borough,
        {{ footprint.statistics_double('england.england_value') }} as england_value,
        {{ footprint.compare_to_benchmark('area_values.lower_ci_95', 'area_values.upper_ci_95',
            'england.england_value', 'catalogue.polarity') }} as comparison_with_england,
        catalogue.indicator_type,
        {{ footprint.statistics_double('catalogue.target_value') }} as target_value,
        case
            when catalogue.indicator_type = 'key_performance_target'
                and area_values.period_type = catalogue.headline_period_type then
                {{ footprint.target_status('area_values.indicator_value', 'catalogue.target_value', 'catalogue.polarity') }}
        end as target_status,
        {{ footprint.statistics_double('annualised.annualisation_factor') }} as annualisation_factor,
        {{ footprint.statistics_double('area_values.indicator_value * annualised.annualisation_factor') }} as comparable_value,
        {{ footprint.statistics_double('area_values.lower_ci_95 * annualised.annualisation_factor') }} as comparable_lower_ci_95,
        {{ footprint.statistics_double('area_values.upper_ci_95 * annualised.annualisation_factor') }} as comparable_upper_ci_95
    from area_values
    inner join catalogue
        on area_values.indicator_id = catalogue.indicator_id
    inner join reporting_months
        on area_values.period_month = reporting_months.month_start_date
    left join latest_periods
        on area_values.indicator_id = latest_periods.indicator_id
        and area_values.period_type = latest_periods.period_type
    left join borough_values
        on area_values.indicator_id = borough_values.indicator_id
        and area_values.period_type = borough_values.period_type
        and area_values.period_month = borough_values.period_month
    left join england
        on area_values.indicator_id = england.indicator_id
        and area_values.period_type = england.period_type
    left join areas
        on area_values.area_code = areas.area_code
    inner join annualised
        on area_values.indicator_id = annualised.indicator_id
        and area_values.period_type = annualised.period_type
        and area_values.period_month = annualised.period_month

)

select * from final
