-- The indicator catalogue as an edition shows it: names, units, targets and the
-- plain-English texts (seed indicator_narratives) of every indicator.
select
    indicator_id,
    display_order,
    indicator_name,
    unit,
    decimal_places,
    polarity,
    indicator_type,
    target_value,
    headline_period_type,
    lag_months,
    plain_definition,
    why_partnership_can_influence
from sdf.sdf_indicator_catalogue
order by display_order, indicator_id
