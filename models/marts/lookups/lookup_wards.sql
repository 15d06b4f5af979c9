{#- Published lookup: which ward each LSOA lay in, for every ward set, with the dates
    each set was in force (valid_to exclusive, null while current). -#}
with lsoa_wards as (

    select * from {{ ref('dim_lsoa_wards') }}

),

wards as (

    select * from {{ ref('dim_wards') }}

),

lsoas as (

    select * from {{ ref('dim_lsoas') }}

)

select
    lsoa_wards.lsoa_code,
    lsoas.sdf_code,
    lsoa_wards.ward_code,
    wards.ward_name,
    lsoa_wards.ward_set,
    lsoa_wards.valid_from,
    lsoa_wards.valid_to,
    wards.is_current
from lsoa_wards
inner join wards
    on lsoa_wards.ward_code = wards.ward_code
    and lsoa_wards.ward_set = wards.ward_set
inner join lsoas on lsoa_wards.lsoa_code = lsoas.lsoa_code
