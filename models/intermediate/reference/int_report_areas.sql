{#- The areas every published figure is given for: each SDF and the borough itself. -#}
with sdfs as (

    select * from {{ ref('sdfs') }}

),

borough as (

    select * from {{ ref('borough') }}

),

final as (

    select
        cast('sdf' as {{ dbt.type_string() }}) as area_type,
        cast(sdf_code as {{ dbt.type_string() }}) as area_code,
        cast(sdf_name as {{ dbt.type_string() }}) as area_name,
        cast(sdf_order as {{ dbt.type_int() }}) as area_order
    from sdfs

    union all

    select
        cast('borough' as {{ dbt.type_string() }}) as area_type,
        cast(borough_code as {{ dbt.type_string() }}) as area_code,
        cast(borough_name as {{ dbt.type_string() }}) as area_name,
        cast(0 as {{ dbt.type_int() }}) as area_order
    from borough

)

select * from final
