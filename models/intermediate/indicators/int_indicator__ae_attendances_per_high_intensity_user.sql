{{ config(tags=['indicator']) }}
{#- The attendances of the high-intensity users (int_ae_high_intensity_users_counted)
    in their 12-month window over the number of those users, per SDF and window, as
    rolling_12_months rows. An SDF with no users has 0 over 0 (no value). -#}

with user_counts as (

    select * from {{ ref('int_ae_high_intensity_users_counted') }}

),

scaffold as (

    {{ footprint.indicator_scaffold() }}

),

final as (

    select
        {{ footprint.indicator_columns('ae_attendances_per_high_intensity_user', 'rolling_12_months',
            'user_counts.attendances', 'coalesce(user_counts.high_intensity_users, 0)') }}
    from scaffold
    left join user_counts
        on scaffold.sdf_code = user_counts.sdf_code
        and scaffold.period_month = user_counts.period_month
    where scaffold.month_number >= 12

)

select * from final
