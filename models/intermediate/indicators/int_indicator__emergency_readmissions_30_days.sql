{{ config(tags=['indicator']) }}

with index_spells as (

    select * from {{ ref('fct_inpatient_spells') }}
    where is_readmission_index_spell

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
        {{ footprint.indicator_columns('emergency_readmissions_30_days', 'month',
            'monthly_counts.readmitted_spells', 'coalesce(monthly_counts.index_spells, 0)') }}
    from scaffold
    left join monthly_counts
        on scaffold.sdf_code = monthly_counts.sdf_code
        and scaffold.period_month = monthly_counts.period_month

)

select * from final
