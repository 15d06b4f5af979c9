with lsoas as (

    select * from {{ ref('lsoas') }}

),

population as (

    select * from {{ ref('population') }}

),

age_bands as (

    select * from {{ ref('age_bands') }}

),

lsoa_populations as (

    select
        population.lsoa_code,
        sum(population.population) as resident_population,
        sum(case when age_bands.age_from >= 65 then population.population else 0 end) as resident_population_65_plus
    from population
    inner join age_bands
        on population.age_band = age_bands.age_band
    group by population.lsoa_code

),

final as (

    select
        lsoas.lsoa_code,
        lsoas.lsoa_name,
        lsoas.sdf_code,
        cast(lsoas.imd_decile as {{ dbt.type_int() }}) as imd_decile,
        cast(coalesce(lsoa_populations.resident_population, 0) as {{ dbt.type_bigint() }}) as resident_population,
        cast(coalesce(lsoa_populations.resident_population_65_plus, 0) as {{ dbt.type_bigint() }})
            as resident_population_65_plus
    from lsoas
    left join lsoa_populations
        on lsoas.lsoa_code = lsoa_populations.lsoa_code

)

select * from final
