-- The deliveries of one feed whose rows are in its raw table (status loaded), oldest
-- period first, each with the delivery before it: the previous period's delivery, or
-- for a re-sent period the version it superseded (loaded or superseded, by period and
-- then by load time).
with deliveries as (

    select
        delivery_id,
        file_path,
        period,
        period_start,
        period_end,
        rows_loaded,
        status,
        finished_at,
        lag(delivery_id) over by_period as previous_delivery_id,
        lag(rows_loaded) over by_period as previous_rows
    from raw.load_manifest
    where organisation = $organisation
        and feed = $feed
        and status in ('loaded', 'superseded')
    window by_period as (order by period_start nulls first, finished_at, delivery_id)

)

select * exclude (status, finished_at)
from deliveries
where status = 'loaded'
order by period_start nulls first, finished_at, delivery_id
