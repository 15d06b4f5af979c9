{#- Published lookup: the Service Delivery Footprints and the borough they make up. -#}
select
    sdf_code,
    sdf_name,
    sdf_order,
    borough_code,
    borough_name,
    lsoa_count
from {{ ref('dim_sdfs') }}
