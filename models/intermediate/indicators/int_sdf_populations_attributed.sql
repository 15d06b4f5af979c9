{#- The population denominators of the indicators: GP registered patients (the CCG's
    gp_registrations feed, practice x LSOA x sex x age band, counted at the start of each
    month) summed to SDF, age band and reporting month twice over: by the SDF of the
    patients' LSOA (residence) and by the SDF of their practice that month
    (registration). The register is counted from the same people the activity feeds
    describe, so the rates are right at any scale of the synthetic generator (the Census
    seed describes the whole borough and is kept for reference only).
    A reporting month without a registrations delivery takes the latest earlier month
    that has one (the first delivered month before any delivery exists), recorded in
    registration_month_start_date. census_2021_population (residence rows only) is the
    Census seed's count for comparison: the generator's register matches it at --scale 1
    (plus births, deaths and moves since 2021) and is a scaled sample of it otherwise. -#}
with registered_population as (

    select * from {{ ref('fct_registered_population') }}

),

reporting_months as (

    select * from {{ ref('int_reporting_months') }}

),

age_bands as (

    select * from {{ ref('age_bands') }}

),

sdfs as (

    select * from {{ ref('sdfs') }}

),

census_population as (

    select * from {{ ref('population') }}

),

lsoas as (

    select * from {{ ref('lsoas') }}

),

census_by_sdf as (

    select
        lsoas.sdf_code,
        census_population.age_band,
        sum(census_population.population) as census_2021_population
    from census_population
    inner join lsoas
        on census_population.lsoa_code = lsoas.lsoa_code
    group by lsoas.sdf_code, census_population.age_band

),

counted_months as (

    select distinct registration_month_start_date
    from registered_population

),

month_sources as (

    select
        reporting_months.month_start_date as period_month,
        coalesce(
            max(case when counted_months.registration_month_start_date <= reporting_months.month_start_date
                then counted_months.registration_month_start_date end),
            min(counted_months.registration_month_start_date)
        ) as registration_month_start_date
    from reporting_months
    cross join counted_months
    group by reporting_months.month_start_date

),

counts_by_attribution as (

    select
        'residence' as attribution,
        residence_sdf_code as sdf_code,
        registration_month_start_date,
        age_band,
        sum(registered_patients) as registered_patients
    from registered_population
    where residence_sdf_code is not null
    group by residence_sdf_code, registration_month_start_date, age_band

    union all

    select
        'registration' as attribution,
        registration_sdf_code as sdf_code,
        registration_month_start_date,
        age_band,
        sum(registered_patients) as registered_patients
    from registered_population
    where registration_sdf_code is not null
    group by registration_sdf_code, registration_month_start_date, age_band

),

scaffold as (

    -- every attribution x SDF x reporting month x age band, so an empty band counts 0
    select
        attributions.attribution,
        sdfs.sdf_code,
        month_sources.period_month,
        month_sources.registration_month_start_date,
        age_bands.age_band,
        age_bands.age_from,
        age_bands.age_to
    from (select 'residence' as attribution union all select 'registration' as attribution) as attributions
    cross join sdfs
    cross join month_sources
    cross join age_bands

),

final as (

    select
        cast(scaffold.attribution as {{ dbt.type_string() }}) as attribution,
        cast(scaffold.sdf_code as {{ dbt.type_string() }}) as sdf_code,
        scaffold.period_month,
        scaffold.registration_month_start_date,
        cast(scaffold.age_band as {{ dbt.type_string() }}) as age_band,
        cast(scaffold.age_from as integer) as age_from,
        cast(scaffold.age_to as integer) as age_to,
        cast(coalesce(counts_by_attribution.registered_patients, 0) as {{ dbt.type_bigint() }}) as registered_patients,
        cast(case when scaffold.attribution = 'residence' then coalesce(census_by_sdf.census_2021_population, 0) end
            as {{ dbt.type_bigint() }}) as census_2021_population
    from scaffold
    left join counts_by_attribution
        on scaffold.attribution = counts_by_attribution.attribution
        and scaffold.sdf_code = counts_by_attribution.sdf_code
        and scaffold.registration_month_start_date = counts_by_attribution.registration_month_start_date
        and scaffold.age_band = counts_by_attribution.age_band
    left join census_by_sdf
        on scaffold.sdf_code = census_by_sdf.sdf_code
        and scaffold.age_band = census_by_sdf.age_band

)

select * from final
