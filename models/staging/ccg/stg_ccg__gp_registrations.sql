with source as (

    select * from {{ source('raw_ccg', 'ccg__gp_registrations') }}

),

renamed as (

    select
        cast(practice_code as {{ dbt.type_string() }}) as practice_code,
        cast(lsoa_code as {{ dbt.type_string() }}) as lsoa_code,
        cast(sex as {{ dbt.type_string() }}) as sex,
        cast(age_band as {{ dbt.type_string() }}) as age_band,
        cast(registered_patients as {{ dbt.type_int() }}) as registered_patients,
        _delivery_id as delivery_id,
        _source_file as source_file,
        cast(_row_number as {{ dbt.type_bigint() }}) as source_row_number,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as loaded_at
    from source

)

select * from renamed
