{#- A delayed discharge carries only the spell id: person, residence and registration
    come from the spell (attributed as on admission). Delay days are the days from the
    medically fit date to the discharge date. -#}
with delayed_discharges as (

    select * from {{ ref('stg_trust__delayed_discharges') }}

),

spells as (

    select * from {{ ref('fct_inpatient_spells') }}

),

final as (

    select
        delayed_discharges.spell_id,
        spells.person_id,
        delayed_discharges.medically_fit_date,
        delayed_discharges.discharge_date,
        {{ footprint.month_of('delayed_discharges.discharge_date') }} as discharge_month_start_date,
        cast({{ dbt.datediff('delayed_discharges.medically_fit_date', 'delayed_discharges.discharge_date', 'day') }}
            as {{ dbt.type_int() }}) as delay_days,
        delayed_discharges.delay_reason,
        delayed_discharges.responsible_organisation,
        spells.age_on_admission,
        spells.age_band,
        spells.lsoa_code,
        spells.ward_code,
        spells.residence_sdf_code,
        spells.practice_code,
        spells.registration_sdf_code,
        spells.spell_id is not null as is_matched_to_spell,
        delayed_discharges.delivery_id
    from delayed_discharges
    left join spells
        on delayed_discharges.spell_id = spells.spell_id

)

select * from final
