-- The tables of the published file, so that a missing mart is named before any query.
select table_schema || '.' || table_name as relation
from information_schema.tables
order by relation
