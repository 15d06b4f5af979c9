{#- The council re-sends every open event in each quarterly delivery (append feed), so
    an event_id appears once per delivery that carried it. Keep each event's row from
    its latest delivery: the latest delivery period (raw.load_manifest), then the latest
    load, then the last file name, then the last row (so the choice is deterministic). -#}
with events as (

    select * from {{ ref('stg_council__asc_events') }}

),

deliveries as (

    select * from {{ ref('stg_ingest__load_manifest') }}

),

ranked as (

    select
        events.*,
        deliveries.period_start_date as delivery_period_start_date,
        row_number() over (
            partition by events.event_id
            order by
                deliveries.period_start_date desc nulls last,
                events.loaded_at desc,
                events.source_file desc,
                events.source_row_number desc
        ) as delivery_recency
    from events
    left join deliveries
        on events.delivery_id = deliveries.delivery_id

),

final as (

    select
        event_id,
        nhs_number_pseudonym,
        council_person_id_pseudonym,
        birth_year_month,
        sex,
        lsoa_code,
        event_type,
        event_start_date,
        event_end_date,
        service_type,
        event_outcome,
        delivery_id,
        delivery_period_start_date,
        source_file,
        loaded_at
    from ranked
    where delivery_recency = 1

)

select * from final
