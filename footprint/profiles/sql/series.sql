-- Every published monthly and rolling 12-month value, for the trend charts.
select
    indicator_id,
    area_code,
    period_type,
    period_month,
    period_start_date,
    period_end_date,
    is_suppressed,
    indicator_value as value,
    lower_ci_95 as lower,
    upper_ci_95 as upper
from sdf.sdf_indicator_values
order by indicator_id, area_code, period_type, period_month
