with lsoa_wards as (

    select * from {{ ref('lsoa_wards') }}

),

wards as (

    select * from {{ ref('wards') }}

),

final as (

    select
        {{ dbt.hash(dbt.concat(['lsoa_wards.lsoa_code', "'|'", dbt.cast('lsoa_wards.valid_from', dbt.type_string())])) }}
            as lsoa_ward_id,
        lsoa_wards.lsoa_code,
        lsoa_wards.ward_code,
        wards.ward_set,
        cast(lsoa_wards.valid_from as date) as valid_from,
        cast(lsoa_wards.valid_to as date) as valid_to
    from lsoa_wards
    left join wards
        on lsoa_wards.ward_code = wards.ward_code

)

select * from final
