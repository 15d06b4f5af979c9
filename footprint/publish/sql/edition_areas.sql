-- The areas a published file has values for (each SDF and the borough): the names a
-- commentary file may have.
select distinct area_code
from sdf.sdf_indicator_values
