with source as (

    select * from {{ source('raw_ccg', 'ccg__deaths') }}

),

renamed as (

    select
        cast(nhs_number_pseudonym as {{ dbt.type_string() }}) as nhs_number_pseudonym,
        cast(date_of_death as date) as date_of_death,
        cast(date_of_registration as date) as date_of_registration,
        cast(sex as {{ dbt.type_string() }}) as sex,
        cast(age_at_death as {{ dbt.type_int() }}) as age_at_death,
        cast(lsoa_code as {{ dbt.type_string() }}) as lsoa_code,
        cast(practice_code as {{ dbt.type_string() }}) as practice_code,
        cast(underlying_cause as {{ dbt.type_string() }}) as underlying_cause,
        cast(place_of_death as {{ dbt.type_string() }}) as place_of_death,
        _delivery_id as delivery_id,
        _source_file as source_file,
        cast(_row_number as {{ dbt.type_bigint() }}) as source_row_number,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as loaded_at
    from source

)

select * from renamed
