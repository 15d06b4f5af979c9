{#- Published: the population series behind the indicators' denominators, month by
    month: GP registered patients by the SDF of their LSOA, and the borough. Counts under
    the NHS Digital rule (1-7 suppressed as null, others rounded to the nearest 5). -#}
with registered_population as (

    select * from {{ ref('fct_registered_population') }}

),

months as (

    select distinct registration_month_start_date as month_start_date
    from registered_population

),

areas as (

    select * from {{ ref('int_report_areas') }}

),

residents as (

    select
        registration_month_start_date as month_start_date,
        residence_sdf_code as sdf_code,
        sum(registered_patients) as registered_patients
    from registered_population
    where residence_sdf_code is not null
    group by registration_month_start_date, residence_sdf_code

),

counted as (

    -- every area x month, so that a month without patients in an SDF counts 0
    select
        areas.area_type,
        areas.area_code,
        areas.area_name,
        months.month_start_date,
        coalesce(sum(residents.registered_patients), 0) as registered_patients
    from areas
    cross join months
    left join residents
        on months.month_start_date = residents.month_start_date
        and (areas.area_type = 'borough' or areas.area_code = residents.sdf_code)
    group by areas.area_type, areas.area_code, areas.area_name, months.month_start_date

),

final as (

    select
        cast(area_type as {{ dbt.type_string() }}) as area_type,
        cast(area_code as {{ dbt.type_string() }}) as area_code,
        cast(area_name as {{ dbt.type_string() }}) as area_name,
        month_start_date,
        {{ footprint.is_suppressed('registered_patients') }} as is_suppressed,
        {{ footprint.disclose_count('registered_patients') }} as registered_patients
    from counted

)

select * from final
