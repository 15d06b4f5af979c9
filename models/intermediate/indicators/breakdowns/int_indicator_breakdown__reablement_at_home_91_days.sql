{{ config(tags=['indicator_breakdown']) }}
{#- As int_indicator__reablement_at_home_91_days, by LSOA of residence (the council's records carry no practice). -#}

with events as (

    select
        residence_sdf_code as sdf_code,
        discharge_month_start_date as period_month,
        cast(null as {{ dbt.type_string() }}) as practice_code,
        lsoa_code,
        sum(case when is_at_home_91_days then 1 else 0 end) as numerator,
        count(*) as denominator
    from {{ ref('fct_reablement_episodes') }}
    where is_aged_65_plus
    group by residence_sdf_code, discharge_month_start_date, lsoa_code

),

final as (

    {{ footprint.indicator_breakdown_cells('reablement_at_home_91_days') }}

)

select * from final
