{#-
    Building blocks of the breakdown models (models/intermediate/indicators/breakdowns):
    each counts one indicator's numerator (and an events denominator) in an `events` CTE
    at the grain of SDF x month x GP practice x LSOA (x age band for a standardised
    rate), and ends with indicator_breakdown_cells, which adds the population
    denominator at the same grain. fct_indicator_breakdowns sums the cells to practice,
    PCN, LSOA, ward and deprivation decile within the SDF.
-#}

{#- Registered patients aged min_age..max_age per SDF x reporting month x practice x
    LSOA (x age band), attributed as sdf_population does (macros/indicators/
    indicator_inputs.sql): by residence (the SDF of the LSOA) or registration (the SDF
    of the practice that month), counted in the same registration month the SDF's
    denominator is, so that the cells of an SDF add up to its denominator. -#}
{% macro breakdown_population(attribution, min_age=none, max_age=none, by_age_band=false) -%}
    select
        population_months.period_month,
        registered.{{ attribution }}_sdf_code as sdf_code,
        registered.practice_code,
        registered.lsoa_code,
        {%- if by_age_band %}
        registered.age_band,
        {%- endif %}
        {{ footprint.statistics_exact_sum('registered.registered_patients * ' ~ footprint.age_band_share(
            'population_bands.age_from', 'population_bands.age_to', min_age, max_age)) }} as population
    from {{ ref('fct_registered_population') }} as registered
    inner join (
        select distinct period_month, registration_month_start_date
        from {{ ref('int_sdf_populations_attributed') }}
    ) as population_months
        on registered.registration_month_start_date = population_months.registration_month_start_date
    inner join {{ ref('age_bands') }} as population_bands
        on registered.age_band = population_bands.age_band
    where registered.{{ attribution }}_sdf_code is not null
    group by
        population_months.period_month, registered.{{ attribution }}_sdf_code,
        registered.practice_code, registered.lsoa_code{% if by_age_band %}, registered.age_band{% endif %}
{%- endmacro %}

{#- The breakdown model's final select: the `events` CTE (sdf_code, period_month,
    practice_code, lsoa_code, [age_band,] numerator, denominator) and, where the
    denominator is a population, that population (the SQL of breakdown_population),
    summed to one row per cell. -#}
{% macro indicator_breakdown_cells(indicator_id, population=none, by_age_band=false) -%}
    {%- set age_band = 'age_band' if by_age_band else 'cast(null as ' ~ dbt.type_string() ~ ')' %}
    select
        cast('{{ indicator_id }}' as {{ dbt.type_string() }}) as indicator_id,
        cast(sdf_code as {{ dbt.type_string() }}) as sdf_code,
        period_month,
        cast(practice_code as {{ dbt.type_string() }}) as practice_code,
        cast(lsoa_code as {{ dbt.type_string() }}) as lsoa_code,
        cast(age_band as {{ dbt.type_string() }}) as age_band,
        {{ footprint.statistics_exact_sum('numerator') }} as numerator,
        {{ footprint.statistics_exact_sum('denominator') }} as denominator
    from (
        select sdf_code, period_month, practice_code, lsoa_code, {{ age_band }} as age_band, numerator, denominator
        from events
        {%- if population is not none %}
        union all
        select sdf_code, period_month, practice_code, lsoa_code, {{ age_band }} as age_band, 0 as numerator, population
        from ({{ population }}) as population_cells
        {%- endif %}
    ) as cells
    where sdf_code is not null
    group by sdf_code, period_month, practice_code, lsoa_code, age_band
{%- endmacro %}

{#- The breakdown models (tagged 'indicator_breakdown'), found as indicator_models()
    finds the indicator models: add a new one to the list below. -#}
{% macro indicator_breakdown_models() -%}
    {{ return(footprint.tagged_models('indicator_breakdown', [
        'int_indicator_breakdown__ae_attendances_75_plus',
        'int_indicator_breakdown__ambulance_incidents_per_day',
        'int_indicator_breakdown__ambulance_conveyance_rate',
        'int_indicator_breakdown__delayed_discharge_days_per_100k_adults',
        'int_indicator_breakdown__reablement_at_home_91_days',
        'int_indicator_breakdown__emergency_readmissions_30_days',
        'int_indicator_breakdown__care_home_emergency_admissions',
        'int_indicator_breakdown__emergency_admissions_dsr',
    ])) }}
{%- endmacro %}

{#- The models of this project carrying `tag`, sorted by name. dbt must know a model's
    parents when it parses the project, before the graph exists, so `listed` is what the
    parser sees (each name is ref'd, which records the dependency of the calling model);
    when the calling model runs, the list comes from the graph. A tagged model missing
    from `listed` stops the build with dbt's message asking for a depends_on line: add
    the model's name to the list instead. -#}
{% macro tagged_models(tag, listed) -%}
    {%- if not execute or 'nodes' not in graph -%}
        {#- parsing, or a unit test (which has no graph): the list -#}
        {%- for model_name in listed %}{% do ref(model_name) %}{% endfor -%}
        {{ return(listed | sort) }}
    {%- endif -%}
    {%- set tagged = [] -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and tag in node.tags and node.package_name == project_name -%}
        {%- do tagged.append(node.name) -%}
    {%- endfor -%}
    {{ return(tagged | sort) }}
{%- endmacro %}
