{#- Funnel plots with overdispersion-adjusted control limits (Spiegelhalter 2005, the
    FunnelPlotR method: macros/statistics/funnel.sql) for every indicator on its
    headline period type, every period of the series: the SDFs are the units, the
    borough value the target. Proportions on the arcsine square-root scale; crude rates
    as observed over expected events (the SDF's denominator at the borough rate) on the
    square-root scale; a DSR as a rate of its events over the population that gives
    its value (events x multiplier / DSR), so its point sits on its own funnel. Count
    indicators and counts per day (each SDF's count is part of the borough total) have
    no rate to compare and get no funnel. phi and tau2 are
    estimated from the SDFs of each indicator and period (k = 7 in the reference
    borough: a rough estimate, as docs/indicators.md explains); the 95% and 99.8%
    limits at each SDF's denominator are widened by tau2 when tau2 > 0. Unsuppressed:
    the published twin is sdf.sdf_indicator_funnels. -#}
with indicator_values as (

    select * from {{ ref('fct_indicator_values') }}

),

catalogue as (

    select * from {{ ref('indicator_catalogue') }}

),

sdf_values as (

    select
        indicator_values.indicator_id,
        indicator_values.period_type,
        indicator_values.period_month,
        indicator_values.period_start_date,
        indicator_values.period_end_date,
        indicator_values.is_latest_period,
        indicator_values.area_code,
        indicator_values.area_name,
        indicator_values.method,
        case indicator_values.method
            when 'proportion' then 'proportion'
            when 'crude_rate' then 'rate'
            when 'dsr' then 'rate'
        end as funnel_data_type,
        indicator_values.polarity,
        indicator_values.multiplier,
        indicator_values.numerator,
        indicator_values.denominator,
        case
            when indicator_values.method = 'dsr' and indicator_values.indicator_value > 0
                then indicator_values.numerator * indicator_values.multiplier / indicator_values.indicator_value
            when indicator_values.method in ('proportion', 'crude_rate')
                then indicator_values.denominator
        end as funnel_denominator,
        indicator_values.indicator_value,
        indicator_values.borough_value,
        indicator_values.borough_value / indicator_values.multiplier as funnel_target
    from indicator_values
    inner join catalogue
        on indicator_values.indicator_id = catalogue.indicator_id
        and indicator_values.period_type = catalogue.headline_period_type
    where indicator_values.area_type = 'sdf'
        and indicator_values.method in ('proportion', 'crude_rate', 'dsr')
        -- a count per day: an SDF's count is part of the borough's, whose value is its
        -- total per day, so there is no borough rate to hold the SDFs against
        and catalogue.denominator_source <> 'days'
        and indicator_values.has_sufficient_data

),

scored as (

    select
        sdf_values.*,
        case funnel_data_type
            when 'proportion' then {{ footprint.funnel_z('proportion', 'numerator', 'funnel_denominator', 'funnel_target') }}
            when 'rate' then {{ footprint.funnel_z('rate', 'numerator', 'funnel_denominator', 'funnel_target') }}
        end as z,
        case funnel_data_type
            when 'proportion' then {{ footprint.funnel_standard_error('proportion', 'funnel_denominator', 'funnel_target') }}
            when 'rate' then {{ footprint.funnel_standard_error('rate', 'funnel_denominator', 'funnel_target') }}
        end as standard_error
    from sdf_values
    where indicator_value is not null

),

dispersion as (

    {{ footprint.funnel_dispersion('scored', partition_by=['indicator_id', 'period_type', 'period_month']) }}

),

{%- set outside_998 = "'better_998', 'worse_998', 'higher_998', 'lower_998'" %}
{%- set limit_columns = [
    ('lower_limit_95', 'funnel_lower', 0.95),
    ('upper_limit_95', 'funnel_upper', 0.95),
    ('lower_limit_998', 'funnel_lower', 0.998),
    ('upper_limit_998', 'funnel_upper', 0.998),
] %}

limits as (

    select
        scored.*,
        dispersion.n_units,
        dispersion.phi,
        dispersion.tau2,
        dispersion.is_overdispersion_adjusted,
        {%- for column, macro_name, confidence in limit_columns %}
        multiplier * case funnel_data_type
            {%- for data_type in ['proportion', 'rate'] %}
            when '{{ data_type }}' then {{ footprint[macro_name](data_type, 'funnel_denominator', 'funnel_target',
                'dispersion.tau2', confidence) }}
            {%- endfor %}
        end as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from scored
    inner join dispersion
        on scored.indicator_id = dispersion.indicator_id
        and scored.period_type = dispersion.period_type
        and scored.period_month = dispersion.period_month

),

positions as (

    select
        indicator_id,
        period_type,
        period_month,
        period_start_date,
        period_end_date,
        is_latest_period,
        area_code,
        area_name,
        method,
        funnel_data_type,
        polarity,
        multiplier,
        numerator,
        denominator,
        {{ footprint.statistics_double('funnel_denominator') }} as funnel_denominator,
        indicator_value,
        borough_value,
        {{ footprint.statistics_double('z') }} as z,
        cast(n_units as {{ dbt.type_int() }}) as n_units,
        {{ footprint.statistics_double('phi') }} as phi,
        {{ footprint.statistics_double('tau2') }} as tau2,
        is_overdispersion_adjusted,
        -- a funnel's phi, tau2 and limits are built from every SDF's count
        {{ dbt.bool_or(footprint.is_suppressed(footprint.disclosure_basis())) }}
            over (partition by indicator_id, period_type, period_month) as has_suppressed_sdf,
        {%- for column, macro_name, confidence in limit_columns %}
        {{ footprint.statistics_double(column) }} as {{ column }},
        {%- endfor %}
        {{ footprint.funnel_position('indicator_value', 'lower_limit_95', 'upper_limit_95',
            'lower_limit_998', 'upper_limit_998', 'polarity') }} as funnel_position
    from limits

),

final as (

    select
        positions.*,
        case
            when funnel_position is not null then funnel_position in ({{ outside_998 }})
        end as is_outlier
    from positions

)

select * from final
