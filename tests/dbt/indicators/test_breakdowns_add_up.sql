{#- The cells of every breakdown of an SDF add up to the SDF's own numerator and
    denominator for the same period (fct_indicator_values), so a breakdown is counted
    as the SDF's value is: no record lost or counted twice, the same months, the same
    population. A denominator of days is the SDF's in every cell and does not add up.
    Returns one row per breakdown that does not. -#}

with breakdowns as (

    select * from {{ ref('fct_indicator_breakdowns') }}

),

sdf_values as (

    select * from {{ ref('fct_indicator_values') }}
    where area_type = 'sdf'

),

catalogue as (

    select * from {{ ref('indicator_catalogue') }}

),

totals as (

    select
        indicator_id,
        sdf_code,
        breakdown_type,
        period_type,
        period_month,
        {{ footprint.statistics_exact_sum('numerator') }} as numerator,
        {{ footprint.statistics_exact_sum('denominator') }} as denominator
    from breakdowns
    group by indicator_id, sdf_code, breakdown_type, period_type, period_month

)

select
    totals.*,
    sdf_values.numerator as sdf_numerator,
    sdf_values.denominator as sdf_denominator
from totals
inner join catalogue
    on totals.indicator_id = catalogue.indicator_id
left join sdf_values
    on totals.indicator_id = sdf_values.indicator_id
    and totals.sdf_code = sdf_values.area_code
    and totals.period_type = sdf_values.period_type
    and totals.period_month = sdf_values.period_month
where sdf_values.numerator is null
    or totals.numerator <> sdf_values.numerator
    or (catalogue.denominator_source <> 'days'
        and abs(totals.denominator - sdf_values.denominator) > 1e-9 * greatest(abs(sdf_values.denominator), 1))
