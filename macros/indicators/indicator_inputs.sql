{#-
    Building blocks of the indicator models (models/intermediate/indicators): the
    scaffold of SDFs x reporting months that every indicator fills (so that an SDF with
    no events in a month still has a row with numerator 0), and the population
    denominators. Each renders one SELECT for a CTE body.
-#}

{#- Every SDF x reporting month (x age band when by_age_band), with the month's end
    and length. -#}
{% macro indicator_scaffold(by_age_band=false) -%}
    select
        indicator_sdfs.sdf_code,
        indicator_months.month_start_date as period_month,
        indicator_months.month_end_date as period_end_date,
        indicator_months.days_in_month,
        indicator_months.month_number
        {%- if by_age_band %},
        indicator_age_bands.age_band
        {%- endif %}
    from {{ ref('sdfs') }} as indicator_sdfs
    cross join {{ ref('int_reporting_months') }} as indicator_months
    {%- if by_age_band %}
    cross join {{ ref('age_bands') }} as indicator_age_bands
    {%- endif %}
{%- endmacro %}

{#- Share of a five-year band [age_from, age_to] (90+ taken as 90-120) inside the ages
    [min_age, max_age], assuming ages spread evenly within the band. -#}
{% macro age_band_share(age_from, age_to, min_age=none, max_age=none) -%}
    {%- set band_to = 'coalesce(' ~ age_to ~ ', 120)' -%}
    {%- set low = age_from if min_age is none else 'greatest(' ~ age_from ~ ', ' ~ min_age ~ ')' -%}
    {%- set high = band_to if max_age is none else 'least(' ~ band_to ~ ', ' ~ max_age ~ ')' -%}
    case
        when {{ high }} < {{ low }} then 0.0
        else cast({{ high }} - {{ low }} + 1 as {{ footprint.statistics_type_double() }})
            / ({{ band_to }} - {{ age_from }} + 1)
    end
{%- endmacro %}

{#- Population denominators per SDF and reporting month (and age band when by_age_band),
    aged min_age..max_age: GP registered patients counted at the start of the month
    (int_sdf_populations_attributed), attributed 'residence' (the SDF of the patients'
    LSOA) or 'registration' (the SDF of their practice that month). The fractional
    shares of cut bands are added up exactly (statistics_exact_sum): the same population,
    to the last bit, on every run. -#}
{% macro sdf_population(attribution, min_age=none, max_age=none, by_age_band=false) -%}
    select
        sdf_populations.sdf_code,
        sdf_populations.period_month,
        {%- if by_age_band %}
        sdf_populations.age_band,
        {%- endif %}
        {{ footprint.statistics_exact_sum('sdf_populations.registered_patients * ' ~ footprint.age_band_share(
            'sdf_populations.age_from', 'sdf_populations.age_to', min_age, max_age)) }} as population
    from {{ ref('int_sdf_populations_attributed') }} as sdf_populations
    where sdf_populations.attribution = '{{ attribution }}'
    group by sdf_populations.sdf_code, sdf_populations.period_month{% if by_age_band %}, sdf_populations.age_band{% endif %}
{%- endmacro %}

{#- Residents by SDF of residence: registered patients living in the SDF's LSOAs. -#}
{% macro resident_population(min_age=none, max_age=none, by_age_band=false) -%}
    {{ footprint.sdf_population('residence', min_age, max_age, by_age_band) }}
{%- endmacro %}

{#- Registered patients by SDF of registration (the practice's SDF that month). -#}
{% macro registered_population(min_age=none, max_age=none, by_age_band=false) -%}
    {{ footprint.sdf_population('registration', min_age, max_age, by_age_band) }}
{%- endmacro %}

{#- The common long shape every indicator model ends with. -#}
{% macro indicator_columns(indicator_id, period_type, numerator, denominator, age_band=none) -%}
        cast('{{ indicator_id }}' as {{ dbt.type_string() }}) as indicator_id,
        cast(scaffold.sdf_code as {{ dbt.type_string() }}) as sdf_code,
        cast('{{ period_type }}' as {{ dbt.type_string() }}) as period_type,
        scaffold.period_month,
        cast({{ age_band if age_band else 'null' }} as {{ dbt.type_string() }}) as age_band,
        {{ footprint.statistics_double('coalesce(' ~ numerator ~ ', 0)') }} as numerator,
        {{ footprint.statistics_double(denominator) }} as denominator
{%- endmacro %}

{#- The indicator models (tagged 'indicator'), sorted by name: see tagged_models
    (macros/indicators/indicator_breakdowns.sql). A new indicator model goes in the list. -#}
{% macro indicator_models() -%}
    {%- set listed = [
        'int_indicator__ae_attendances_75_plus',
        'int_indicator__ambulance_incidents_per_day',
        'int_indicator__ambulance_incidents_per_1000_residents',
        'int_indicator__ambulance_conveyance_rate',
        'int_indicator__delayed_discharge_days_per_100k_adults',
        'int_indicator__reablement_at_home_91_days',
        'int_indicator__emergency_readmissions_30_days',
        'int_indicator__care_home_emergency_admissions',
        'int_indicator__ae_high_intensity_users',
        'int_indicator__long_term_care_65_plus',
        'int_indicator__emergency_admissions_dsr',
        'int_indicator__care_home_emergency_readmissions_30_days',
        'int_indicator__ae_high_intensity_user_cohort',
        'int_indicator__ae_attendances_per_high_intensity_user',
        'int_indicator__premature_mortality_cvd',
        'int_indicator__premature_mortality_cancer',
        'int_indicator__life_expectancy_male',
        'int_indicator__life_expectancy_female',
    ] -%}
    {{ return(footprint.tagged_models('indicator', listed)) }}
{%- endmacro %}
