with source as (

    select * from {{ source('raw_council', 'council__reablement') }}

),

renamed as (

    select
        cast(episode_id as {{ dbt.type_string() }}) as episode_id,
        cast(nhs_number_pseudonym as {{ dbt.type_string() }}) as nhs_number_pseudonym,
        cast(council_person_id_pseudonym as {{ dbt.type_string() }}) as council_person_id_pseudonym,
        cast(birth_year_month as {{ dbt.type_string() }}) as birth_year_month,
        cast(sex as {{ dbt.type_string() }}) as sex,
        cast(lsoa_code as {{ dbt.type_string() }}) as lsoa_code,
        cast(hospital_discharge_date as date) as hospital_discharge_date,
        cast(reablement_start_date as date) as reablement_start_date,
        cast(follow_up_date as date) as follow_up_date,
        cast(outcome_91_day as {{ dbt.type_string() }}) as outcome_91_day,
        _delivery_id as delivery_id,
        _source_file as source_file,
        cast(_row_number as {{ dbt.type_bigint() }}) as source_row_number,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as loaded_at
    from source

)

select * from renamed
