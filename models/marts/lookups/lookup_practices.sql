{#- Published lookup: GP practices with their PCN and SDF over time (valid_to exclusive,
    null while current). Names are the CCG's practice map's, as delivered. -#}
select
    practice_code,
    practice_name,
    pcn_code,
    pcn_name,
    sdf_code,
    valid_from,
    valid_to,
    is_current
from {{ ref('dim_practices') }}
