{{ config(tags=['indicator']) }}
{#- High-intensity users (int_ae_high_intensity_users_counted) per SDF and 12-month
    window, as rolling_12_months rows (the catalogue's from_model), over the registered
    residents of the SDF at the start of the window's last month. -#}

with user_counts as (

    select * from {{ ref('int_ae_high_intensity_users_counted') }}

),

scaffold as (

    {{ footprint.indicator_scaffold() }}

),

population as (

    {{ footprint.resident_population() }}

),

final as (

    select
        {{ footprint.indicator_columns('ae_high_intensity_users', 'rolling_12_months',
            'user_counts.high_intensity_users', 'population.population') }}
    from scaffold
    left join user_counts
        on scaffold.sdf_code = user_counts.sdf_code
        and scaffold.period_month = user_counts.period_month
    left join population
        on scaffold.sdf_code = population.sdf_code
        and scaffold.period_month = population.period_month
    where scaffold.month_number >= 12

)

select * from final
