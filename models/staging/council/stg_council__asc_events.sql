with source as (

    select * from {{ source('raw_council', 'council__asc_events') }}

),

renamed as (

    select
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(nhs_number_pseudonym as {{ dbt.type_string() }}) as nhs_number_pseudonym,
        cast(council_person_id_pseudonym as {{ dbt.type_string() }}) as council_person_id_pseudonym,
        cast(birth_year_month as {{ dbt.type_string() }}) as birth_year_month,
        cast(sex as {{ dbt.type_string() }}) as sex,
        cast(lsoa_code as {{ dbt.type_string() }}) as lsoa_code,
        cast(event_type as {{ dbt.type_string() }}) as event_type,
        cast(start_date as date) as event_start_date,
        cast(end_date as date) as event_end_date,
        cast(service_type as {{ dbt.type_string() }}) as service_type,
        cast(outcome as {{ dbt.type_string() }}) as event_outcome,
        _delivery_id as delivery_id,
        _source_file as source_file,
        cast(_row_number as {{ dbt.type_bigint() }}) as source_row_number,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as loaded_at
    from source

)

select * from renamed
