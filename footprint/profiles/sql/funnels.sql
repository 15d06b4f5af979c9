-- The funnels of the latest headline period: every SDF of each indicator with its
-- overdispersion-adjusted limits at its denominator, already disclosure-controlled.
select
    indicator_id,
    area_code,
    area_name,
    is_suppressed,
    funnel_denominator,
    indicator_value as value,
    borough_value,
    n_units,
    phi,
    is_overdispersion_adjusted,
    lower_limit_95,
    upper_limit_95,
    lower_limit_998,
    upper_limit_998,
    funnel_position,
    is_outlier
from sdf.sdf_indicator_funnels
where is_latest_period
order by indicator_id, funnel_denominator, area_code
