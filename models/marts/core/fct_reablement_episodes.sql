{#- ASCOF 2B(1) building block: age at discharge from the year and month of birth, the
    65+ cohort flag and whether the person was at home 91 days after discharge
    (outcome at_home; every other outcome, not_known included, counts as not at home,
    so the denominator is every episode of the cohort). An episode sent twice keeps its
    latest delivery. -#}
with episodes as (

    select * from {{ ref('stg_council__reablement') }}

),

deliveries as (

    select * from {{ ref('stg_ingest__load_manifest') }}

),

person_identifiers as (

    select * from {{ ref('int_person_identifiers_linked') }}

),

lsoas as (

    select * from {{ ref('dim_lsoas') }}

),

lsoa_wards as (

    select * from {{ ref('dim_lsoa_wards') }}

),

age_bands as (

    select * from {{ ref('dim_age_bands') }}

),

latest_episodes as (

    select
        episodes.*,
        {{ footprint.age_from_birth_year_month('episodes.birth_year_month', 'episodes.hospital_discharge_date') }}
            as age_at_discharge,
        row_number() over (
            partition by episodes.episode_id
            order by deliveries.period_start_date desc nulls last, episodes.loaded_at desc, episodes.source_file desc
        ) as delivery_recency
    from episodes
    left join deliveries
        on episodes.delivery_id = deliveries.delivery_id

),

final as (

    select
        latest_episodes.episode_id,
        coalesce(by_nhs_number.person_id, by_council_id.person_id) as person_id,
        latest_episodes.hospital_discharge_date,
        {{ footprint.month_of('latest_episodes.hospital_discharge_date') }} as discharge_month_start_date,
        latest_episodes.reablement_start_date,
        latest_episodes.follow_up_date,
        cast({{ dbt.datediff('latest_episodes.hospital_discharge_date', 'latest_episodes.follow_up_date', 'day') }}
            as {{ dbt.type_int() }}) as days_to_follow_up,
        latest_episodes.age_at_discharge,
        age_bands.age_band,
        latest_episodes.age_at_discharge >= 65 as is_aged_65_plus,
        latest_episodes.sex,
        latest_episodes.lsoa_code,
        lsoa_wards.ward_code,
        lsoas.sdf_code as residence_sdf_code,
        latest_episodes.outcome_91_day,
        latest_episodes.outcome_91_day = 'at_home' as is_at_home_91_days,
        latest_episodes.outcome_91_day <> 'not_known' as is_outcome_known,
        latest_episodes.delivery_id
    from latest_episodes
    left join person_identifiers as by_nhs_number
        on by_nhs_number.identifier_type = 'nhs_number'
        and latest_episodes.nhs_number_pseudonym = by_nhs_number.identifier_pseudonym
    left join person_identifiers as by_council_id
        on by_council_id.identifier_type = 'council_person_id'
        and latest_episodes.council_person_id_pseudonym = by_council_id.identifier_pseudonym
    left join lsoas
        on latest_episodes.lsoa_code = lsoas.lsoa_code
    left join lsoa_wards
        on latest_episodes.lsoa_code = lsoa_wards.lsoa_code
        and {{ footprint.is_valid_on('latest_episodes.hospital_discharge_date', 'lsoa_wards.valid_from', 'lsoa_wards.valid_to') }}
    left join age_bands
        on {{ footprint.age_in_band('latest_episodes.age_at_discharge', 'age_bands.age_from', 'age_bands.age_to') }}
    where latest_episodes.delivery_recency = 1

)

select * from final
