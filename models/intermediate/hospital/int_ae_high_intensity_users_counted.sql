{#- High-intensity users of A&E (NHS England's High Intensity Use programme): a person
    is one in the 12 months ending with a month when they attended A&E 5 or more times
    in those months. Counted per SDF (of residence at each person's latest attendance in
    the window, so each person once) and window, with the users' attendances in the
    window; only windows with 12 reporting months behind them. Only people with 5+ attendances in the whole span
    can qualify in any window, so the windows are built for them alone (a few % of
    attenders). -#}

with attendances as (

    select * from {{ ref('fct_ae_attendances') }}

),

reporting_months as (

    select * from {{ ref('int_reporting_months') }}

),

frequent_attenders as (

    select person_id
    from attendances
    group by person_id
    having count(*) >= 5

),

candidate_attendances as (

    select attendances.*
    from attendances
    inner join frequent_attenders
        on attendances.person_id = frequent_attenders.person_id

),

window_ends as (

    select month_start_date as period_month
    from reporting_months
    where month_number >= 12

),

person_windows as (

    select
        window_ends.period_month,
        candidate_attendances.person_id,
        candidate_attendances.residence_sdf_code,
        count(*) over (partition by window_ends.period_month, candidate_attendances.person_id) as window_attendances,
        row_number() over (
            partition by window_ends.period_month, candidate_attendances.person_id
            order by candidate_attendances.arrival_at desc, candidate_attendances.attendance_id desc
        ) as attendance_recency
    from window_ends
    inner join candidate_attendances
        on candidate_attendances.arrival_month_start_date <= window_ends.period_month
        and candidate_attendances.arrival_month_start_date > {{ footprint.add_months(-12, 'window_ends.period_month') }}

),

user_windows as (

    select period_month, person_id, residence_sdf_code, window_attendances
    from person_windows
    where attendance_recency = 1
        and window_attendances >= 5

),

final as (

    select
        residence_sdf_code as sdf_code,
        period_month,
        cast(count(*) as integer) as high_intensity_users,
        cast(sum(window_attendances) as integer) as attendances
    from user_windows
    group by residence_sdf_code, period_month

)

select * from final
