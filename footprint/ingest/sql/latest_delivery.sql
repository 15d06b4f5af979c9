-- The newest period a feed has delivered (loaded or since superseded), and when.
select max(period_end) as latest_period_end, max(finished_at) as latest_loaded_at
from raw.load_manifest
where organisation = $organisation and feed = $feed and status in ('loaded', 'superseded')
