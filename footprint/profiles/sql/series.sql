-- Every published monthly and rolling 12-month value, for the trend charts; comparable
-- is the value on the rolling 12-month scale (single months annualised where they are
-- rates per head: annualisation_factor).
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
    upper_ci_95 as upper,
    annualisation_factor,
    comparable_value as comparable
from sdf.sdf_indicator_values
order by indicator_id, area_code, period_type, period_month
