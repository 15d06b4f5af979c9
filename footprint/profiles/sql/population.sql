-- GP registered patients living in every area (each SDF and the borough) by five-year
-- age band, at the month the register was last counted.
select
    area_code,
    population_month,
    age_band,
    age_from,
    is_suppressed,
    registered_patients
from sdf.sdf_population
order by area_code, age_band_order
