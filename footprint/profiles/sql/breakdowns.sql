-- Inside each SDF: the latest rolling 12 months of each indicator by GP practice, PCN,
-- LSOA, ward and deprivation decile, as published (suppressed rows already blank).
select
    sdf_code,
    indicator_id,
    breakdown_type,
    breakdown_code,
    breakdown_name,
    imd_decile,
    period_start_date,
    period_end_date,
    is_suppressed,
    is_secondary_suppressed,
    indicator_value as value,
    comparison_with_sdf,
    sdf_value
from sdf.sdf_indicator_breakdowns
order by sdf_code, indicator_id, breakdown_type, breakdown_code
