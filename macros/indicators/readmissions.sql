{#- The body of a 30-day emergency readmission indicator (NHS Outcomes Framework 3b
    style; flags from int_inpatient_spells_readmissions_flagged via fct_inpatient_spells):
    index spells discharged alive, those of them followed by an emergency admission 0-29
    days after discharge, by month of discharge and registration SDF on the discharge
    date. index_spell_filter narrows the index spells (an SQL condition on
    fct_inpatient_spells), e.g. to care-home residents. -#}
{% macro readmissions_30_days_indicator(indicator_id, index_spell_filter='true') -%}
with index_spells as (

    select * from {{ ref('fct_inpatient_spells') }}
    where is_readmission_index_spell
        and ({{ index_spell_filter }})

),

scaffold as (

    {{ footprint.indicator_scaffold() }}

),

monthly_counts as (

    select
        discharge_registration_sdf_code as sdf_code,
        discharge_month_start_date as period_month,
        sum(case when is_followed_by_emergency_readmission_30_days then 1 else 0 end) as readmitted_spells,
        count(*) as index_spells
    from index_spells
    group by discharge_registration_sdf_code, discharge_month_start_date

),

final as (

    select
        {{ footprint.indicator_columns(indicator_id, 'month',
            'monthly_counts.readmitted_spells', 'coalesce(monthly_counts.index_spells, 0)') }}
    from scaffold
    left join monthly_counts
        on scaffold.sdf_code = monthly_counts.sdf_code
        and scaffold.period_month = monthly_counts.period_month

)

select * from final
{%- endmacro %}
