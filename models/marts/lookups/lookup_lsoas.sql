{#- Published lookup: each LSOA, its SDF and its deprivation decile. -#}
select
    lsoa_code,
    lsoa_name,
    sdf_code,
    imd_decile
from {{ ref('dim_lsoas') }}
