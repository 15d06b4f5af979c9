{#- How much of each reporting month every feed's loaded deliveries cover: the share of
    the month's days that lie in the period of a loaded (or duplicate) delivery (a daily file covers
    its day, a monthly file its month, a quarterly file its quarter). A rejected or
    missing delivery leaves its days uncovered, so indicators can tell a month with no
    events from a month with no data. -#}
with deliveries as (

    select * from {{ ref('stg_ingest__load_manifest') }}
    -- a duplicate is a file whose identical content was already loaded (a monthly map
    -- that did not change): its period is covered by that content
    where delivery_status in ('loaded', 'duplicate')

),

reporting_months as (

    select * from {{ ref('int_reporting_months') }}

),

days as (

    {{ dbt.date_spine(
        datepart='day',
        start_date="cast('" ~ var('calendar_start', '2015-01-01') ~ "' as date)",
        end_date="cast('" ~ var('calendar_end', '2036-01-01') ~ "' as date)"
    ) }}

),

feeds as (

    select distinct organisation, feed from deliveries

),

covered_days as (

    select distinct
        deliveries.organisation,
        deliveries.feed,
        cast(days.date_day as date) as covered_date
    from deliveries
    inner join days
        on cast(days.date_day as date) >= deliveries.period_start_date
        and cast(days.date_day as date) <= deliveries.period_end_date

),

final as (

    select
        {{ dbt.concat(['feeds.organisation', "'.'", 'feeds.feed']) }} as source_feed,
        reporting_months.month_start_date,
        cast(count(covered_days.covered_date) as {{ dbt.type_int() }}) as covered_days,
        cast(reporting_months.days_in_month as {{ dbt.type_int() }}) as days_in_month,
        {{ footprint.statistics_double('count(covered_days.covered_date)') }}
            / reporting_months.days_in_month as coverage
    from feeds
    cross join reporting_months
    left join covered_days
        on feeds.organisation = covered_days.organisation
        and feeds.feed = covered_days.feed
        and covered_days.covered_date >= reporting_months.month_start_date
        and covered_days.covered_date <= reporting_months.month_end_date
    group by feeds.organisation, feeds.feed, reporting_months.month_start_date, reporting_months.days_in_month

)

select * from final
