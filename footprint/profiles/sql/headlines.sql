-- The profile: the latest headline value of every indicator for every area (each SDF
-- and the borough), already disclosure-controlled, compared and trend-tested by dbt.
select
    area_code,
    area_name,
    area_type,
    indicator_id,
    period_type,
    period_start_date,
    period_end_date,
    is_suppressed,
    numerator,
    denominator,
    indicator_value as value,
    lower_ci_95 as lower,
    upper_ci_95 as upper,
    borough_value,
    comparison_with_borough,
    england_value,
    comparison_with_england,
    is_outlier,
    trend_period_type,
    trend_first_period_month,
    trend_last_period_month,
    trend_points,
    trend_direction,
    trend_judgement,
    is_trend_significant,
    target_value,
    target_status
from sdf.sdf_profiles
order by area_type, area_code, display_order
