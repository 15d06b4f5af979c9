{#- Published lookup: each primary care network (PCN) and the SDF(s) its current practices
    are in, with how many. A PCN whose practices lie in two SDFs has a row for each. -#}
select
    pcn_code,
    min(pcn_name) as pcn_name,
    sdf_code,
    cast(count(*) as integer) as practice_count
from {{ ref('dim_practices') }}
where is_current and pcn_code is not null
group by pcn_code, sdf_code
