-- Whether a table or view exists in the warehouse.
select count(*) > 0
from information_schema.tables
where table_schema = $schema and table_name = $name
