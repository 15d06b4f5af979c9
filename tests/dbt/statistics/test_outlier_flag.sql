-- outlier_flag: an SDF differs significantly from the borough when the borough value
-- lies outside the SDF's 95% interval. Returns the cases whose flag is wrong.

with cases as (
    select *
    from (
        values
            (40.0, 50.0, 55.0, true),   -- borough above the interval
            (40.0, 50.0, 35.0, true),   -- borough below the interval
            (40.0, 50.0, 45.0, false),  -- inside
            (40.0, 50.0, 40.0, false),  -- on the lower limit: not significant
            (40.0, 50.0, 50.0, false),  -- on the upper limit: not significant
            (null, 50.0, 45.0, null),   -- no interval: unknown
            (40.0, 50.0, null, null)    -- no borough value: unknown
    ) as expected (lower_ci, upper_ci, borough_value, expected_flag)
),

computed as (
    select
        cases.*,
        {{ outlier_flag('lower_ci', 'upper_ci', 'borough_value') }} as actual_flag
    from cases
)

select *
from computed
where actual_flag is distinct from expected_flag
