{{ config(tags=['indicator']) }}

{#- The population-adjusted twin of ambulance_incidents_per_day (the same incidents,
    counted once there): a count per day grows with the area, so SDFs of different
    sizes are compared per 1,000 residents. -#}
with incidents_per_day as (

    select * from {{ ref('int_indicator__ambulance_incidents_per_day') }}

),

population as (

    {{ footprint.resident_population() }}

),

final as (

    select
        cast('ambulance_incidents_per_1000_residents' as {{ dbt.type_string() }}) as indicator_id,
        incidents_per_day.sdf_code,
        incidents_per_day.period_type,
        incidents_per_day.period_month,
        incidents_per_day.age_band,
        incidents_per_day.numerator,
        {{ footprint.statistics_double('population.population') }} as denominator
    from incidents_per_day
    left join population
        on incidents_per_day.sdf_code = population.sdf_code
        and incidents_per_day.period_month = population.period_month

)

select * from final
