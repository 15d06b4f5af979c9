-- An edition's figures: every area's value of every indicator for the headline period
-- ending with the edition's last month ($period_month), as published (disclosure
-- controlled, compared and target-judged by dbt).
select
    indicator_values.area_type,
    indicator_values.area_code,
    indicator_values.area_name,
    indicator_values.indicator_id,
    indicator_values.period_type,
    indicator_values.period_start_date,
    indicator_values.period_end_date,
    indicator_values.is_suppressed,
    indicator_values.has_sufficient_data,
    indicator_values.numerator,
    indicator_values.denominator,
    indicator_values.indicator_value as value,
    indicator_values.lower_ci_95 as lower,
    indicator_values.upper_ci_95 as upper,
    indicator_values.borough_value,
    indicator_values.comparison_with_borough,
    indicator_values.england_value,
    indicator_values.comparison_with_england,
    indicator_values.target_value,
    indicator_values.target_status
from sdf.sdf_indicator_values as indicator_values
inner join sdf.sdf_indicator_catalogue as catalogue
    on indicator_values.indicator_id = catalogue.indicator_id
    and indicator_values.period_type = catalogue.headline_period_type
where indicator_values.period_month = $period_month
order by indicator_values.area_type, indicator_values.area_code, catalogue.display_order
