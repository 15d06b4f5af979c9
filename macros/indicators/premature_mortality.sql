{#- The body of an under-75 mortality indicator (PHOF style): deaths at ages 0-74 from
    one cause group of fct_deaths, by month of registration (as PHOF counts deaths by
    year of registration), age band and SDF of usual residence, over the residents of
    the SDF in each band, for the 15 ESP 2013 bands below 75 only: directly
    standardised (catalogue method 'dsr') against the European Standard Population of
    ages 0-74. -#}
{% macro premature_mortality_indicator(indicator_id, cause_group) -%}
with deaths as (

    select * from {{ ref('fct_deaths') }}
    where cause_group = '{{ cause_group }}'
        and age_at_death < 75

),

under_75_bands as (

    select age_band from {{ ref('age_bands') }}
    where age_to < 75

),

scaffold as (

    select all_bands.*
    from ({{ footprint.indicator_scaffold(by_age_band=true) }}) as all_bands
    inner join under_75_bands
        on all_bands.age_band = under_75_bands.age_band

),

population as (

    {{ footprint.resident_population(by_age_band=true) }}

),

monthly_counts as (

    select
        residence_sdf_code as sdf_code,
        registration_month_start_date as period_month,
        age_band,
        count(*) as deaths
    from deaths
    group by residence_sdf_code, registration_month_start_date, age_band

),

final as (

    {{ footprint.age_band_indicator_rows(indicator_id, 'deaths') }}

)

select * from final
{%- endmacro %}
