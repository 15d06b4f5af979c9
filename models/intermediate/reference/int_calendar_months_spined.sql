{#- Every month from calendar_start to calendar_end (vars, with defaults wide enough for
    any data this warehouse will hold), built with dbt's cross-database date spine. -#}
with spine as (

    {{ dbt.date_spine(
        datepart='month',
        start_date="cast('" ~ var('calendar_start', '2015-01-01') ~ "' as date)",
        end_date="cast('" ~ var('calendar_end', '2036-01-01') ~ "' as date)"
    ) }}

),

final as (

    select
        cast(date_month as date) as month_start_date,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'date_month')) }} as date) as month_end_date
    from spine

)

select * from final
