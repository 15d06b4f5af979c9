{#- The body of a life expectancy indicator for one sex: deaths by month of registration,
    SDF of usual residence and the 20 bands of PHE's abridged life table (0, 1-4, 5-9 ...
    85-89, 90+), over the residents of that sex in each band (GP registered patients
    living in the SDF's LSOAs, counted at the start of the month). The register comes in
    five-year bands: the 0-4 band is split 1/5 to age 0 and 4/5 to ages 1-4, assuming
    ages spread evenly within the band, as footprint.age_band_share does for cut bands.
    A month without a registrations delivery has no population (left out of the 12-month
    mean). fct_indicator_values turns the 12-month sums into the life table (catalogue
    method 'life_expectancy'). -#}
{% macro life_expectancy_indicator(indicator_id, sex) -%}
with deaths as (

    select * from {{ ref('fct_deaths') }}
    where sex = '{{ sex }}'

),

registered_population as (

    select * from {{ ref('fct_registered_population') }}
    where sex = '{{ sex }}'

),

life_table_bands as (

    select
        age_bands.age_band as source_age_band,
        case when age_bands.age_from = 0 then split_band.age_band else age_bands.age_band end as age_band,
        case when age_bands.age_from = 0 then split_band.share else 1.0 end as population_share
    from {{ ref('age_bands') }} as age_bands
    left join (
        select '0' as age_band, 0.2 as share
        union all
        select '1-4' as age_band, 0.8 as share
    ) as split_band
        on age_bands.age_from = 0

),

scaffold as (

    select
        indicator_sdfs.sdf_code,
        indicator_months.month_start_date as period_month,
        life_table_bands.age_band
    from {{ ref('sdfs') }} as indicator_sdfs
    cross join {{ ref('int_reporting_months') }} as indicator_months
    cross join (select distinct age_band from life_table_bands) as life_table_bands

),

population as (

    select
        registered_population.residence_sdf_code as sdf_code,
        registered_population.registration_month_start_date as period_month,
        life_table_bands.age_band,
        {{ footprint.statistics_exact_sum('registered_population.registered_patients * life_table_bands.population_share') }}
            as population
    from registered_population
    inner join life_table_bands
        on registered_population.age_band = life_table_bands.source_age_band
    group by
        registered_population.residence_sdf_code, registered_population.registration_month_start_date,
        life_table_bands.age_band

),

deaths_in_bands as (

    select
        residence_sdf_code as sdf_code,
        registration_month_start_date as period_month,
        case
            when age_at_death = 0 then '0'
            when age_at_death < 5 then '1-4'
            else age_band
        end as age_band
    from deaths

),

monthly_counts as (

    select sdf_code, period_month, age_band, count(*) as deaths
    from deaths_in_bands
    group by sdf_code, period_month, age_band

),

final as (

    {{ footprint.age_band_indicator_rows(indicator_id, 'deaths') }}

)

select * from final
{%- endmacro %}
