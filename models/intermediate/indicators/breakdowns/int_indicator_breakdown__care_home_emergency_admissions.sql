{{ config(tags=['indicator_breakdown']) }}
{#- As int_indicator__care_home_emergency_admissions, by GP practice (attributed by registration: no neighbourhoods). -#}

with events as (

    select
        registration_sdf_code as sdf_code,
        admission_month_start_date as period_month,
        practice_code,
        cast(null as {{ dbt.type_string() }}) as lsoa_code,
        count(*) as numerator,
        0 as denominator
    from {{ ref('fct_inpatient_spells') }}
    where is_emergency_admission and is_admitted_from_care_home
    group by registration_sdf_code, admission_month_start_date, practice_code

),

final as (

    {{ footprint.indicator_breakdown_cells('care_home_emergency_admissions', population=footprint.breakdown_population('registration', min_age=65)) }}

)

select * from final
