{#- Secondary suppression holds in what is published: no breakdown of an SDF whose total
    is published (sdf_indicator_values, not suppressed) has exactly one suppressed
    numerator, or exactly one suppressed denominator, which could be recovered as the
    total minus the other rows (a suppressed row shows neither count). Returns one row per breakdown that does. -#}

with breakdowns as (

    select * from {{ ref('sdf_indicator_breakdowns') }}

),

sdf_values as (

    select * from {{ ref('sdf_indicator_values') }}
    where area_type = 'sdf'

),

suppressed_cells as (

    select
        indicator_id,
        sdf_code,
        breakdown_type,
        period_type,
        period_month,
        count(*) as breakdown_rows,
        sum(case when numerator is null then 1 else 0 end) as suppressed_numerators,
        sum(case when denominator is null then 1 else 0 end) as suppressed_denominators
    from breakdowns
    group by indicator_id, sdf_code, breakdown_type, period_type, period_month

)

select suppressed_cells.*
from suppressed_cells
inner join sdf_values
    on suppressed_cells.indicator_id = sdf_values.indicator_id
    and suppressed_cells.sdf_code = sdf_values.area_code
    and suppressed_cells.period_type = sdf_values.period_type
    and suppressed_cells.period_month = sdf_values.period_month
-- a breakdown of one row is the SDF itself: nothing to subtract
where suppressed_cells.breakdown_rows > 1
    and ((suppressed_cells.suppressed_numerators = 1 and sdf_values.numerator is not null)
        or (suppressed_cells.suppressed_denominators = 1 and sdf_values.denominator is not null))
