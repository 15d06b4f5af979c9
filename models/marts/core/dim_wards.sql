with wards as (

    select * from {{ ref('wards') }}

),

final as (

    select
        ward_code,
        ward_name,
        ward_set,
        cast(valid_from as date) as valid_from,
        cast(valid_to as date) as valid_to,
        valid_to is null as is_current
    from wards

)

select * from final
