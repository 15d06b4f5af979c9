with source as (

    select * from {{ source('raw_ccg', 'ccg__practice_map') }}

),

renamed as (

    select
        cast(practice_code as {{ dbt.type_string() }}) as practice_code,
        cast(practice_name as {{ dbt.type_string() }}) as practice_name,
        cast(pcn_code as {{ dbt.type_string() }}) as pcn_code,
        cast(pcn_name as {{ dbt.type_string() }}) as pcn_name,
        cast(sdf_code as {{ dbt.type_string() }}) as sdf_code,
        _delivery_id as delivery_id,
        _source_file as source_file,
        cast(_row_number as {{ dbt.type_bigint() }}) as source_row_number,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as loaded_at
    from source

)

select * from renamed
