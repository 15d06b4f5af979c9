with source as (

    select * from {{ source('raw_ambulance', 'ambulance__incidents') }}

),

renamed as (

    select
        cast(incident_id as {{ dbt.type_string() }}) as incident_id,
        cast(call_at as {{ dbt.type_timestamp() }}) as call_at,
        cast(category as {{ dbt.type_string() }}) as incident_category,
        cast(lsoa_code as {{ dbt.type_string() }}) as lsoa_code,
        cast(outcome as {{ dbt.type_string() }}) as incident_outcome,
        cast(nhs_number_pseudonym as {{ dbt.type_string() }}) as nhs_number_pseudonym,
        _delivery_id as delivery_id,
        _source_file as source_file,
        cast(_row_number as {{ dbt.type_bigint() }}) as source_row_number,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as loaded_at
    from source

)

select * from renamed
