-- The deliveries whose rows the marts were built from: loaded and not superseded.
select organisation, feed, file_path, period, sha256, rows_loaded, rows_quarantined
from wh.raw.load_manifest
where status = 'loaded'
order by organisation, feed, period, file_path
