{{ config(tags=['indicator']) }}
{#- A person is a high-intensity user in the 12 months ending with a month when they
    attended A&E 5 or more times in those months; they count once, in the SDF of
    residence at their latest attendance in the window. Only windows with 12 months of
    data are reported, as rolling_12_months rows (the catalogue's from_model). The
    denominator is the registered residents of the SDF at the start of the window's last
    month. Only people with 5+ attendances in the whole span can qualify in any window,
    so the windows are built for them alone (a few % of attenders). -#}

with attendances as (

    select * from {{ ref('fct_ae_attendances') }}

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

scaffold as (

    {{ footprint.indicator_scaffold() }}

),

population as (

    {{ footprint.resident_population() }}

),

window_ends as (

    select distinct period_month, month_number from scaffold
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

window_counts as (

    select
        residence_sdf_code as sdf_code,
        period_month,
        count(*) as high_intensity_users
    from person_windows
    where attendance_recency = 1
        and window_attendances >= 5
    group by residence_sdf_code, period_month

),

final as (

    select
        {{ footprint.indicator_columns('ae_high_intensity_users', 'rolling_12_months',
            'window_counts.high_intensity_users', 'population.population') }}
    from scaffold
    left join window_counts
        on scaffold.sdf_code = window_counts.sdf_code
        and scaffold.period_month = window_counts.period_month
    left join population
        on scaffold.sdf_code = population.sdf_code
        and scaffold.period_month = population.period_month
    where scaffold.month_number >= 12

)

select * from final
