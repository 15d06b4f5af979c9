-- The indicator catalogue with its England benchmark: names, definitions, units,
-- polarity, type, target and sources of every indicator.
select
    indicator_id,
    display_order,
    indicator_name,
    numerator_definition,
    denominator_definition,
    unit,
    decimal_places,
    method,
    polarity,
    indicator_type,
    target_value,
    framework,
    framework_code,
    framework_version,
    owner_organisation,
    source_feeds,
    attribution,
    headline_period_type,
    trend_series,
    trend_step_months,
    england_value,
    england_benchmark_period,
    england_benchmark_source
from sdf.sdf_indicator_catalogue
order by display_order, indicator_id
