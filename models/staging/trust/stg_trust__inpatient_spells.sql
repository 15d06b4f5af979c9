with source as (

    select * from {{ source('raw_trust', 'trust__inpatient_spells') }}

),

renamed as (

    select
        cast(spell_id as {{ dbt.type_string() }}) as spell_id,
        cast(nhs_number_pseudonym as {{ dbt.type_string() }}) as nhs_number_pseudonym,
        cast(age_on_admission as {{ dbt.type_int() }}) as age_on_admission,
        cast(sex as {{ dbt.type_string() }}) as sex,
        cast(admission_date as date) as admission_date,
        cast(discharge_date as date) as discharge_date,
        cast(admission_method as {{ dbt.type_string() }}) as admission_method,
        cast(admission_source as {{ dbt.type_string() }}) as admission_source,
        cast(discharge_destination as {{ dbt.type_string() }}) as discharge_destination,
        cast(primary_diagnosis as {{ dbt.type_string() }}) as primary_diagnosis,
        cast(lsoa_code as {{ dbt.type_string() }}) as lsoa_code,
        cast(practice_code as {{ dbt.type_string() }}) as practice_code,
        _delivery_id as delivery_id,
        _source_file as source_file,
        cast(_row_number as {{ dbt.type_bigint() }}) as source_row_number,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as loaded_at
    from source

)

select * from renamed
