with source as (

    select * from {{ source('raw_ingest', 'load_manifest') }}

),

renamed as (

    select
        cast(delivery_id as {{ dbt.type_string() }}) as delivery_id,
        cast(organisation as {{ dbt.type_string() }}) as organisation,
        cast(feed as {{ dbt.type_string() }}) as feed,
        cast(file_path as {{ dbt.type_string() }}) as source_file,
        cast(period as {{ dbt.type_string() }}) as delivery_period,
        cast(period_start as date) as period_start_date,
        cast(period_end as date) as period_end_date,
        cast(version as {{ dbt.type_int() }}) as delivery_version,
        cast(sha256 as {{ dbt.type_string() }}) as file_sha256,
        cast(rows_read as {{ dbt.type_bigint() }}) as rows_read,
        cast(rows_loaded as {{ dbt.type_bigint() }}) as rows_loaded,
        cast(rows_quarantined as {{ dbt.type_bigint() }}) as rows_quarantined,
        cast(status as {{ dbt.type_string() }}) as delivery_status,
        cast(message as {{ dbt.type_string() }}) as delivery_message,
        cast(superseded_by as {{ dbt.type_string() }}) as superseded_by_delivery_id,
        cast(started_at as {{ dbt.type_timestamp() }}) as load_started_at,
        cast(finished_at as {{ dbt.type_timestamp() }}) as load_finished_at
    from source

)

select * from renamed
