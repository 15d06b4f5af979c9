{#- Inpatient spells with the person they belong to and their emergency readmission
    flags (NHS Outcomes Framework 3b style):
    - an index spell is any spell whose patient was discharged alive (destination not 79);
    - it is followed by an emergency readmission within 30 days when the same person is
      admitted as an emergency (method 21-2D or 28) 0 to 29 days after the discharge
      date (the day of discharge is day 0), in a spell admitted after the index spell;
    - a spell is itself an emergency readmission within 30 days when it is an emergency
      admission 0 to 29 days after an earlier spell of the same person ended alive. -#}
{%- set emergency_methods = ['21', '22', '23', '24', '25', '2A', '2B', '2C', '2D', '28'] %}
with spells as (

    select * from {{ ref('stg_trust__inpatient_spells') }}

),

person_identifiers as (

    select * from {{ ref('int_person_identifiers_linked') }}
    where identifier_type = 'nhs_number'

),

spells_with_person as (

    select
        spells.*,
        person_identifiers.person_id,
        spells.admission_method in ('{{ emergency_methods | join("', '") }}') as is_emergency_admission,
        spells.discharge_destination = '79' as is_died_in_hospital
    from spells
    left join person_identifiers
        on spells.nhs_number_pseudonym = person_identifiers.identifier_pseudonym

),

readmissions_after as (

    select
        index_spells.spell_id,
        min(later_spells.admission_date) as first_emergency_readmission_date
    from spells_with_person as index_spells
    inner join spells_with_person as later_spells
        on index_spells.person_id = later_spells.person_id
        and index_spells.spell_id <> later_spells.spell_id
        and later_spells.is_emergency_admission
        and later_spells.admission_date > index_spells.admission_date
        and later_spells.admission_date >= index_spells.discharge_date
        and later_spells.admission_date <= {{ footprint.add_days(29, 'index_spells.discharge_date') }}
    where not index_spells.is_died_in_hospital
    group by index_spells.spell_id

),

readmissions_of as (

    select
        later_spells.spell_id,
        max(index_spells.discharge_date) as previous_discharge_date
    from spells_with_person as later_spells
    inner join spells_with_person as index_spells
        on later_spells.person_id = index_spells.person_id
        and later_spells.spell_id <> index_spells.spell_id
        and not index_spells.is_died_in_hospital
        and later_spells.admission_date > index_spells.admission_date
        and later_spells.admission_date >= index_spells.discharge_date
        and later_spells.admission_date <= {{ footprint.add_days(29, 'index_spells.discharge_date') }}
    where later_spells.is_emergency_admission
    group by later_spells.spell_id

),

final as (

    select
        spells_with_person.spell_id,
        spells_with_person.person_id,
        spells_with_person.age_on_admission,
        spells_with_person.sex,
        spells_with_person.admission_date,
        spells_with_person.discharge_date,
        spells_with_person.admission_method,
        spells_with_person.is_emergency_admission,
        spells_with_person.admission_source,
        spells_with_person.discharge_destination,
        spells_with_person.is_died_in_hospital,
        spells_with_person.primary_diagnosis,
        spells_with_person.lsoa_code,
        spells_with_person.practice_code,
        not spells_with_person.is_died_in_hospital as is_readmission_index_spell,
        readmissions_after.first_emergency_readmission_date,
        case
            when spells_with_person.is_died_in_hospital then false
            else readmissions_after.first_emergency_readmission_date is not null
        end as is_followed_by_emergency_readmission_30_days,
        readmissions_of.previous_discharge_date,
        readmissions_of.previous_discharge_date is not null as is_emergency_readmission_30_days,
        spells_with_person.delivery_id
    from spells_with_person
    left join readmissions_after
        on spells_with_person.spell_id = readmissions_after.spell_id
    left join readmissions_of
        on spells_with_person.spell_id = readmissions_of.spell_id

)

select * from final
