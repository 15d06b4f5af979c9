{#- The months the indicators report on: from the first month any daily or monthly
    delivery covers up to the report month. The report month is var('report_month')
    ('YYYY-MM') when set, else the last month whose end the daily and monthly
    deliveries reach (a month is complete once a delivery covers its last day). -#}
with calendar_months as (

    select * from {{ ref('int_calendar_months_spined') }}

),

deliveries as (

    select * from {{ ref('stg_ingest__load_manifest') }}

),

data_span as (

    -- daily and monthly deliveries only: a quarterly delivery is not a sign that every
    -- month of its quarter has arrived from the other feeds
    select
        min(period_start_date) as first_covered_date,
        max(period_end_date) as last_covered_date
    from deliveries
    where delivery_status in ('loaded', 'superseded')
        and period_start_date is not null
        and {{ dbt.datediff('period_start_date', 'period_end_date', 'day') }} < 31

),

window_bounds as (

    select
        {{ footprint.month_of('first_covered_date') }} as first_month_start_date,
        {% if var('report_month') -%}
        cast('{{ var("report_month")[:7] }}-01' as date) as report_month_start_date
        {%- else -%}
        {{ footprint.month_of(footprint.add_months(-1, footprint.add_days(1, 'last_covered_date'))) }}
            as report_month_start_date
        {%- endif %}
    from data_span

),

final as (

    select
        calendar_months.month_start_date,
        calendar_months.month_end_date,
        {{ dbt.datediff('calendar_months.month_start_date', 'calendar_months.month_end_date', 'day') }} + 1
            as days_in_month,
        {{ dbt.datediff('calendar_months.month_start_date', 'window_bounds.report_month_start_date', 'month') }}
            as months_before_report,
        {{ dbt.datediff('window_bounds.first_month_start_date', 'calendar_months.month_start_date', 'month') }} + 1
            as month_number,
        calendar_months.month_start_date = window_bounds.report_month_start_date as is_report_month
    from calendar_months
    inner join window_bounds
        on calendar_months.month_start_date >= window_bounds.first_month_start_date
        and calendar_months.month_start_date <= window_bounds.report_month_start_date

)

select * from final
