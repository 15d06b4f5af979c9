{{ config(tags=['indicator']) }}
{#- The size of the high-intensity user cohort (int_ae_high_intensity_users_counted):
    a count of people per SDF and 12-month window with no denominator (catalogue method
    'count'), as rolling_12_months rows. -#}

with user_counts as (

    select * from {{ ref('int_ae_high_intensity_users_counted') }}

),

scaffold as (

    {{ footprint.indicator_scaffold() }}

),

final as (

    select
        {{ footprint.indicator_columns('ae_high_intensity_user_cohort', 'rolling_12_months',
            'user_counts.high_intensity_users', 'null') }}
    from scaffold
    left join user_counts
        on scaffold.sdf_code = user_counts.sdf_code
        and scaffold.period_month = user_counts.period_month
    where scaffold.month_number >= 12

)

select * from final
