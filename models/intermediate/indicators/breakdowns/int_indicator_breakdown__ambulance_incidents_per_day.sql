{{ config(tags=['indicator_breakdown']) }}
{#- As int_indicator__ambulance_incidents_per_day, by LSOA of the incident (the ambulance records carry no practice); the days are the SDF's. -#}

with events as (

    select
        residence_sdf_code as sdf_code,
        call_month_start_date as period_month,
        cast(null as {{ dbt.type_string() }}) as practice_code,
        lsoa_code,
        count(*) as numerator,
        0 as denominator
    from {{ ref('fct_ambulance_incidents') }}
    group by residence_sdf_code, call_month_start_date, lsoa_code

),

final as (

    {{ footprint.indicator_breakdown_cells('ambulance_incidents_per_day') }}

)

select * from final
