{{ config(tags=['indicator']) }}
{#- A stock measure, so the model makes both series itself (catalogue: from_model):
    month = people 65+ with a residential or nursing placement open on the last day of
    the month; rolling_12_months = people 65+ (at the window's end) with a placement
    open at any time in the 12 months. Each person counts once, in the SDF of residence
    at the start of their latest placement. -#}

with placements as (

    select * from {{ ref('fct_social_care_events') }}
    where is_long_term_care_placement

),

scaffold as (

    {{ footprint.indicator_scaffold() }}

),

population as (

    {{ footprint.resident_population(min_age=65) }}

),

periods as (

    select distinct
        'month' as period_type,
        period_month,
        period_month as window_start_date,
        period_end_date as window_end_date
    from scaffold

    union all

    select distinct
        'rolling_12_months' as period_type,
        period_month,
        {{ footprint.add_months(-11, 'period_month') }} as window_start_date,
        period_end_date as window_end_date
    from scaffold
    where month_number >= 12

),

people_in_care as (

    select
        periods.period_type,
        periods.period_month,
        placements.person_id,
        placements.residence_sdf_code,
        row_number() over (
            partition by periods.period_type, periods.period_month, placements.person_id
            order by placements.event_start_date desc, placements.event_id desc
        ) as placement_recency
    from periods
    inner join placements
        -- open on the window's last day (month) or at any time in the window (12 months)
        on placements.event_start_date <= periods.window_end_date
        and (
            placements.event_end_date is null
            or placements.event_end_date >= periods.window_end_date
            or (periods.period_type = 'rolling_12_months'
                and placements.event_end_date >= periods.window_start_date)
        )
    where {{ footprint.age_from_birth_year_month('placements.birth_year_month', 'periods.window_end_date') }} >= 65

),

period_counts as (

    select
        residence_sdf_code as sdf_code,
        period_type,
        period_month,
        count(*) as people_in_care
    from people_in_care
    where placement_recency = 1
    group by residence_sdf_code, period_type, period_month

),

final as (

    {% for period_type in ['month', 'rolling_12_months'] %}
    select
        {{ footprint.indicator_columns('long_term_care_65_plus', period_type,
            'period_counts.people_in_care', 'population.population') }}
    from scaffold
    left join period_counts
        on scaffold.sdf_code = period_counts.sdf_code
        and scaffold.period_month = period_counts.period_month
        and period_counts.period_type = '{{ period_type }}'
    left join population
        on scaffold.sdf_code = population.sdf_code
        and scaffold.period_month = population.period_month
    {% if period_type == 'rolling_12_months' %}where scaffold.month_number >= 12{% endif %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from final
