{#- Registered deaths (the CCG's deaths extract, Primary Care Mortality Database-like)
    with the conformed keys: month of death and of registration, five-year age band,
    LSOA/ward/SDF of usual residence and practice/PCN/SDF of registration on the date of
    death, and the cause groups the mortality indicators count (cancer C00-C97,
    circulatory disease I00-I99, by the ICD-10 underlying cause). A death re-sent in a
    later delivery counts once, as last delivered. person_id is the person's key where
    another feed has seen the same NHS number, else null. Person-level: never
    published. -#}
with deaths as (

    select * from {{ ref('stg_ccg__deaths') }}

),

person_identifiers as (

    select * from {{ ref('int_person_identifiers_linked') }}
    where identifier_type = 'nhs_number'

),

lsoas as (

    select * from {{ ref('dim_lsoas') }}

),

lsoa_wards as (

    select * from {{ ref('dim_lsoa_wards') }}

),

practices as (

    select * from {{ ref('dim_practices') }}

),

age_bands as (

    select * from {{ ref('dim_age_bands') }}

),

latest_deaths as (

    select
        deaths.*,
        row_number() over (
            partition by deaths.nhs_number_pseudonym
            order by deaths.loaded_at desc, deaths.delivery_id desc, deaths.source_row_number desc
        ) as delivery_recency
    from deaths

),

final as (

    select
        latest_deaths.nhs_number_pseudonym,
        person_identifiers.person_id,
        latest_deaths.date_of_death,
        {{ footprint.month_of('latest_deaths.date_of_death') }} as death_month_start_date,
        latest_deaths.date_of_registration,
        {{ footprint.month_of('latest_deaths.date_of_registration') }} as registration_month_start_date,
        latest_deaths.sex,
        latest_deaths.age_at_death,
        age_bands.age_band,
        latest_deaths.underlying_cause,
        case
            when latest_deaths.underlying_cause between 'C00' and 'C97Z' then 'cancer'
            when latest_deaths.underlying_cause between 'I00' and 'I99Z' then 'circulatory'
            else 'other'
        end as cause_group,
        latest_deaths.place_of_death,
        latest_deaths.lsoa_code,
        lsoa_wards.ward_code,
        lsoas.sdf_code as residence_sdf_code,
        latest_deaths.practice_code,
        practices.pcn_code,
        practices.sdf_code as registration_sdf_code,
        latest_deaths.delivery_id
    from latest_deaths
    left join person_identifiers
        on latest_deaths.nhs_number_pseudonym = person_identifiers.identifier_pseudonym
    left join lsoas
        on latest_deaths.lsoa_code = lsoas.lsoa_code
    left join lsoa_wards
        on latest_deaths.lsoa_code = lsoa_wards.lsoa_code
        and {{ footprint.is_valid_on('latest_deaths.date_of_death', 'lsoa_wards.valid_from', 'lsoa_wards.valid_to') }}
    left join practices
        on latest_deaths.practice_code = practices.practice_code
        and {{ footprint.is_valid_on('latest_deaths.date_of_death', 'practices.valid_from', 'practices.valid_to') }}
    left join age_bands
        on {{ footprint.age_in_band('latest_deaths.age_at_death', 'age_bands.age_from', 'age_bands.age_to') }}
    where latest_deaths.delivery_recency = 1

)

select * from final
