{{ config(tags=['indicator_breakdown']) }}
{#- As int_indicator__ae_attendances_75_plus, by GP practice and LSOA of residence. -#}

with events as (

    select
        residence_sdf_code as sdf_code,
        arrival_month_start_date as period_month,
        practice_code,
        lsoa_code,
        count(*) as numerator,
        0 as denominator
    from {{ ref('fct_ae_attendances') }}
    where age_at_arrival >= 75
    group by residence_sdf_code, arrival_month_start_date, practice_code, lsoa_code

),

final as (

    {{ footprint.indicator_breakdown_cells('ae_attendances_75_plus', population=footprint.breakdown_population('residence', min_age=75)) }}

)

select * from final
