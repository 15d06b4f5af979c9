with source as (

    select * from {{ source('raw_trust', 'trust__delayed_discharges') }}

),

renamed as (

    select
        cast(spell_id as {{ dbt.type_string() }}) as spell_id,
        cast(medically_fit_date as date) as medically_fit_date,
        cast(discharge_date as date) as discharge_date,
        cast(delay_reason as {{ dbt.type_string() }}) as delay_reason,
        cast(responsible_organisation as {{ dbt.type_string() }}) as responsible_organisation,
        _delivery_id as delivery_id,
        _source_file as source_file,
        cast(_row_number as {{ dbt.type_bigint() }}) as source_row_number,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as loaded_at
    from source

)

select * from renamed
