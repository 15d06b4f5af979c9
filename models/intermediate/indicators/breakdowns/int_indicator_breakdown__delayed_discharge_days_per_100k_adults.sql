{{ config(tags=['indicator_breakdown']) }}
{#- As int_indicator__delayed_discharge_days_per_100k_adults, by GP practice and LSOA of residence. -#}

with events as (

    select
        residence_sdf_code as sdf_code,
        discharge_month_start_date as period_month,
        practice_code,
        lsoa_code,
        sum(delay_days) as numerator,
        0 as denominator
    from {{ ref('fct_delayed_discharges') }}
    where residence_sdf_code is not null
    group by residence_sdf_code, discharge_month_start_date, practice_code, lsoa_code

),

final as (

    {{ footprint.indicator_breakdown_cells('delayed_discharge_days_per_100k_adults', population=footprint.breakdown_population('residence', min_age=18)) }}

)

select * from final
