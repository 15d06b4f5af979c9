{{ config(tags=['indicator_breakdown']) }}
{#- As int_indicator__emergency_readmissions_30_days, by GP practice (attributed by registration: no neighbourhoods). -#}

with events as (

    select
        discharge_registration_sdf_code as sdf_code,
        discharge_month_start_date as period_month,
        practice_code,
        cast(null as {{ dbt.type_string() }}) as lsoa_code,
        sum(case when is_followed_by_emergency_readmission_30_days then 1 else 0 end) as numerator,
        count(*) as denominator
    from {{ ref('fct_inpatient_spells') }}
    where is_readmission_index_spell
    group by discharge_registration_sdf_code, discharge_month_start_date, practice_code

),

final as (

    {{ footprint.indicator_breakdown_cells('emergency_readmissions_30_days') }}

)

select * from final
