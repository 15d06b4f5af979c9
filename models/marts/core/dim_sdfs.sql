with sdfs as (

    select * from {{ ref('sdfs') }}

),

borough as (

    select * from {{ ref('borough') }}

),

lsoas as (

    select * from {{ ref('lsoas') }}

),

population as (

    select * from {{ ref('population') }}

),

lsoa_populations as (

    select
        lsoas.sdf_code,
        count(distinct lsoas.lsoa_code) as lsoa_count,
        sum(population.population) as resident_population
    from lsoas
    left join population
        on lsoas.lsoa_code = population.lsoa_code
    group by lsoas.sdf_code

),

final as (

    select
        sdfs.sdf_code,
        sdfs.sdf_name,
        cast(sdfs.sdf_order as {{ dbt.type_int() }}) as sdf_order,
        borough.borough_code,
        borough.borough_name,
        cast(coalesce(lsoa_populations.lsoa_count, 0) as {{ dbt.type_int() }}) as lsoa_count,
        cast(coalesce(lsoa_populations.resident_population, 0) as {{ dbt.type_bigint() }}) as resident_population
    from sdfs
    cross join borough
    left join lsoa_populations
        on sdfs.sdf_code = lsoa_populations.sdf_code

)

select * from final
