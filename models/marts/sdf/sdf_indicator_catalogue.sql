{#- Published: the indicator catalogue with the England benchmarks beside it, so that a
    reader of the published file knows what every figure means (in plain English too) and where it comes from. -#}
with catalogue as (

    select * from {{ ref('indicator_catalogue') }}

),

england as (

    select * from {{ ref('england_benchmarks') }}

),

narratives as (

    select * from {{ ref('indicator_narratives') }}

),

england_headline as (

    select
        england.indicator_id,
        england.england_value,
        england.benchmark_period,
        england.benchmark_source
    from england
    inner join catalogue
        on england.indicator_id = catalogue.indicator_id
        and england.period_type = catalogue.headline_period_type

),

final as (

    select
        catalogue.indicator_id,
        cast(catalogue.display_order as {{ dbt.type_int() }}) as display_order,
        catalogue.indicator_name,
        catalogue.numerator_definition,
        catalogue.denominator_definition,
        catalogue.unit,
        {{ footprint.statistics_double('catalogue.multiplier') }} as multiplier,
        cast(catalogue.decimal_places as {{ dbt.type_int() }}) as decimal_places,
        catalogue.method,
        catalogue.polarity,
        catalogue.indicator_type,
        {{ footprint.statistics_double('catalogue.target_value') }} as target_value,
        catalogue.framework,
        catalogue.framework_code,
        catalogue.framework_version,
        catalogue.owner_organisation,
        catalogue.source_feeds,
        catalogue.numerator_feeds,
        catalogue.attribution,
        catalogue.denominator_source,
        catalogue.rolling_12_months,
        cast(catalogue.lag_months as {{ dbt.type_int() }}) as lag_months,
        catalogue.trend_series,
        cast(catalogue.trend_step_months as {{ dbt.type_int() }}) as trend_step_months,
        catalogue.headline_period_type,
        {{ footprint.statistics_double('england_headline.england_value') }} as england_value,
        england_headline.benchmark_period as england_benchmark_period,
        england_headline.benchmark_source as england_benchmark_source,
        narratives.plain_definition,
        narratives.why_partnership_can_influence
    from catalogue
    left join england_headline
        on catalogue.indicator_id = england_headline.indicator_id
    left join narratives
        on catalogue.indicator_id = narratives.indicator_id

)

select * from final
