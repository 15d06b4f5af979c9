with age_bands as (

    select * from {{ ref('age_bands') }}

),

esp2013 as (

    select * from {{ ref('esp2013') }}

),

final as (

    select
        age_bands.age_band,
        cast(age_bands.age_band_order as {{ dbt.type_int() }}) as age_band_order,
        cast(age_bands.age_from as {{ dbt.type_int() }}) as age_from,
        cast(age_bands.age_to as {{ dbt.type_int() }}) as age_to,
        cast(esp2013.standard_population as {{ dbt.type_int() }}) as esp2013_standard_population
    from age_bands
    left join esp2013
        on age_bands.age_band = esp2013.age_band

)

select * from final
