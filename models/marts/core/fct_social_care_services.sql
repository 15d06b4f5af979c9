{#- The services among the social care events, with what a service needs: its kind,
    whether it is long-term care (residential or nursing) and its length so far. -#}
with events as (

    select * from {{ ref('fct_social_care_events') }}

),

reporting_months as (

    select * from {{ ref('int_reporting_months') }}

),

report_end as (

    select max(month_end_date) as report_end_date from reporting_months

),

final as (

    select
        events.event_id,
        events.person_id,
        events.service_type,
        events.service_type in ('residential', 'nursing') as is_long_term_care,
        events.service_type in ('reablement', 'equipment') as is_short_term_service,
        events.event_start_date as service_start_date,
        events.event_end_date as service_end_date,
        events.event_end_date is null as is_open,
        cast({{ dbt.datediff(
            'events.event_start_date',
            'coalesce(events.event_end_date, report_end.report_end_date)',
            'day') }} as {{ dbt.type_int() }}) as service_days,
        events.event_outcome,
        events.age_at_start,
        events.age_band,
        events.sex,
        events.lsoa_code,
        events.ward_code,
        events.residence_sdf_code,
        events.delivery_id
    from events
    cross join report_end
    where events.event_type = 'service'

)

select * from final
