with source as (

    select * from {{ source('raw_trust', 'trust__ae_attendances') }}

),

renamed as (

    select
        cast(attendance_id as {{ dbt.type_string() }}) as attendance_id,
        cast(nhs_number_pseudonym as {{ dbt.type_string() }}) as nhs_number_pseudonym,
        cast(age as {{ dbt.type_int() }}) as age_at_arrival,
        cast(sex as {{ dbt.type_string() }}) as sex,
        cast(lsoa_code as {{ dbt.type_string() }}) as lsoa_code,
        cast(practice_code as {{ dbt.type_string() }}) as practice_code,
        cast(arrival_at as {{ dbt.type_timestamp() }}) as arrival_at,
        cast(departure_at as {{ dbt.type_timestamp() }}) as departure_at,
        cast(arrival_mode as {{ dbt.type_string() }}) as arrival_mode,
        cast(acuity as {{ dbt.type_int() }}) as acuity,
        cast(chief_complaint as {{ dbt.type_string() }}) as chief_complaint,
        cast(discharge_destination as {{ dbt.type_string() }}) as ae_discharge_destination,
        _delivery_id as delivery_id,
        _source_file as source_file,
        cast(_row_number as {{ dbt.type_bigint() }}) as source_row_number,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as loaded_at
    from source

)

select * from renamed
