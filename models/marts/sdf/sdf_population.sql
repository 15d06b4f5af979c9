{#- Published: who lives in each SDF and in the borough, by five-year age band, for the
    profiles' "who lives here". Counted from the GP register (the CCG's gp_registrations
    feed) by the SDF of the patients' LSOA, at the latest month counted: the same people
    the indicators' population denominators count. Counts under the NHS Digital rule
    (1-7 suppressed as null, others rounded to the nearest 5). Aggregates only. -#}
with registered_population as (

    select * from {{ ref('fct_registered_population') }}

),

age_bands as (

    select * from {{ ref('dim_age_bands') }}

),

latest_month as (

    select max(registration_month_start_date) as population_month
    from registered_population

),

residents as (

    select
        registered_population.residence_sdf_code as sdf_code,
        registered_population.age_band,
        sum(registered_population.registered_patients) as registered_patients
    from registered_population
    inner join latest_month
        on registered_population.registration_month_start_date = latest_month.population_month
    where registered_population.residence_sdf_code is not null
    group by registered_population.residence_sdf_code, registered_population.age_band

),

areas as (

    select * from {{ ref('int_report_areas') }}

),

counted as (

    -- every area x age band, so that an empty band counts 0
    select
        areas.area_type,
        areas.area_code,
        areas.area_name,
        age_bands.age_band,
        age_bands.age_band_order,
        age_bands.age_from,
        coalesce(sum(residents.registered_patients), 0) as registered_patients
    from areas
    cross join age_bands
    left join residents
        on age_bands.age_band = residents.age_band
        and (areas.area_type = 'borough' or areas.area_code = residents.sdf_code)
    group by
        areas.area_type,
        areas.area_code,
        areas.area_name,
        age_bands.age_band,
        age_bands.age_band_order,
        age_bands.age_from

),

final as (

    select
        cast(counted.area_type as {{ dbt.type_string() }}) as area_type,
        cast(counted.area_code as {{ dbt.type_string() }}) as area_code,
        cast(counted.area_name as {{ dbt.type_string() }}) as area_name,
        latest_month.population_month,
        cast(counted.age_band as {{ dbt.type_string() }}) as age_band,
        cast(counted.age_band_order as {{ dbt.type_int() }}) as age_band_order,
        cast(counted.age_from as {{ dbt.type_int() }}) as age_from,
        {{ footprint.is_suppressed('counted.registered_patients') }} as is_suppressed,
        {{ footprint.disclose_count('counted.registered_patients') }} as registered_patients
    from counted
    cross join latest_month

)

select * from final
