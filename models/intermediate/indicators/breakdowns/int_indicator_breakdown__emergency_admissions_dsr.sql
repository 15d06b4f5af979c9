{{ config(tags=['indicator_breakdown']) }}
{#- As int_indicator__emergency_admissions_dsr, by GP practice and LSOA of residence, per age band. -#}

with events as (

    select
        residence_sdf_code as sdf_code,
        admission_month_start_date as period_month,
        practice_code,
        lsoa_code,
        age_band,
        count(*) as numerator,
        0 as denominator
    from {{ ref('fct_inpatient_spells') }}
    where is_emergency_admission
    group by residence_sdf_code, admission_month_start_date, practice_code, lsoa_code, age_band

),

final as (

    {{ footprint.indicator_breakdown_cells('emergency_admissions_dsr', population=footprint.breakdown_population('residence', by_age_band=true), by_age_band=true) }}

)

select * from final
