{#- Residence is the LSOA on admission; registration is the practice's SDF on the day
    of admission (registration_sdf_code) and on the day of discharge
    (discharge_registration_sdf_code), so an indicator counted by discharge (such as
    readmissions) attributes by the SDF the practice belonged to at discharge. -#}
with spells as (

    select * from {{ ref('int_inpatient_spells_readmissions_flagged') }}

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

final as (

    select
        spells.spell_id,
        spells.person_id,
        spells.admission_date,
        spells.discharge_date,
        {{ footprint.month_of('spells.admission_date') }} as admission_month_start_date,
        {{ footprint.month_of('spells.discharge_date') }} as discharge_month_start_date,
        cast({{ dbt.datediff('spells.admission_date', 'spells.discharge_date', 'day') }} as {{ dbt.type_int() }})
            as length_of_stay_days,
        spells.age_on_admission,
        age_bands.age_band,
        spells.sex,
        spells.admission_method,
        spells.is_emergency_admission,
        spells.admission_source,
        spells.admission_source in ('54', '65', '85') as is_admitted_from_care_home,
        spells.discharge_destination,
        spells.discharge_destination in ('54', '65', '85') as is_discharged_to_care_home,
        spells.is_died_in_hospital,
        spells.primary_diagnosis,
        spells.lsoa_code,
        lsoa_wards.ward_code,
        lsoas.sdf_code as residence_sdf_code,
        spells.practice_code,
        practices_on_admission.pcn_code,
        practices_on_admission.sdf_code as registration_sdf_code,
        practices_on_discharge.sdf_code as discharge_registration_sdf_code,
        spells.is_readmission_index_spell,
        spells.first_emergency_readmission_date,
        spells.is_followed_by_emergency_readmission_30_days,
        spells.previous_discharge_date,
        spells.is_emergency_readmission_30_days,
        spells.delivery_id
    from spells
    left join lsoas
        on spells.lsoa_code = lsoas.lsoa_code
    left join lsoa_wards
        on spells.lsoa_code = lsoa_wards.lsoa_code
        and {{ footprint.is_valid_on('spells.admission_date', 'lsoa_wards.valid_from', 'lsoa_wards.valid_to') }}
    left join practices as practices_on_admission
        on spells.practice_code = practices_on_admission.practice_code
        and {{ footprint.is_valid_on('spells.admission_date', 'practices_on_admission.valid_from', 'practices_on_admission.valid_to') }}
    left join practices as practices_on_discharge
        on spells.practice_code = practices_on_discharge.practice_code
        and {{ footprint.is_valid_on('spells.discharge_date', 'practices_on_discharge.valid_from', 'practices_on_discharge.valid_to') }}
    left join age_bands
        on {{ footprint.age_in_band('spells.age_on_admission', 'age_bands.age_from', 'age_bands.age_to') }}

)

select * from final
