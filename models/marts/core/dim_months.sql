with calendar_months as (

    select * from {{ ref('int_calendar_months_spined') }}

),

reporting_months as (

    select * from {{ ref('int_reporting_months') }}

),

final as (

    select
        calendar_months.month_start_date,
        calendar_months.month_end_date,
        cast(extract(year from calendar_months.month_start_date) as {{ dbt.type_int() }}) as calendar_year,
        cast(extract(month from calendar_months.month_start_date) as {{ dbt.type_int() }}) as calendar_month,
        cast(floor((extract(month from calendar_months.month_start_date) - 1) / 3) + 1 as {{ dbt.type_int() }})
            as calendar_quarter,
        -- UK financial year, April to March, labelled by its first year ('2024-25')
        {{ dbt.concat([
            dbt.cast('extract(year from ' ~ footprint.add_months(-3, 'calendar_months.month_start_date') ~ ')', dbt.type_string()),
            "'-'",
            dbt.right(dbt.cast('extract(year from ' ~ footprint.add_months(9, 'calendar_months.month_start_date') ~ ')', dbt.type_string()), '2')
        ]) }} as financial_year,
        cast({{ dbt.datediff('calendar_months.month_start_date', 'calendar_months.month_end_date', 'day') }} + 1
            as {{ dbt.type_int() }}) as days_in_month,
        reporting_months.month_start_date is not null as is_in_reporting_window,
        coalesce(reporting_months.is_report_month, false) as is_report_month
    from calendar_months
    left join reporting_months
        on calendar_months.month_start_date = reporting_months.month_start_date

)

select * from final
