-- Each SDF's deep-dive shortlist, in its published order.
select
    area_code,
    indicator_id,
    indicator_value as value,
    borough_value,
    funnel_position,
    trend_judgement,
    shortlist_reason,
    shortlist_rank
from sdf.sdf_deep_dive_shortlist
order by area_code, shortlist_rank
