{#-
    Life expectancy by the abridged life table of Chiang (Chiang II), with Silcocks'
    confidence limits, as PHEindicatormethods phe_life_expectancy (R/LifeExpectancy.R)
    and PHE's life expectancy calculator. Renders one SELECT over `relation` (a CTE or
    relation with the columns in group_columns, start_age, deaths, population: one row
    per group and age band, the 20 bands 0, 1-4, 5-9, ..., 85-89, 90+), returning one
    row per group and band: life expectancy at the band's start age and its limits.

      n_i  = width of the band (next start age - start age); last band 2 / M_i
      a_i  = 0.1 for the band starting at 0, else 0.5 (fraction of the band lived by
             those who die in it)
      M_i  = deaths / population;  q_i = n M / (1 + n M (1 - a)), 1 when deaths exceed
             population / n / a;  l_0 = 100,000, l_{i+1} = l_i (1 - q_i)
      L_i  = n_i (l_{i+1} + a_i d_i), last band l_i / M_i;  e_i = sum_{j>=i} L_j / l_i
      var  = sum_{j>=i} l_j^2 ((1 - a_j) n_j + e_{j+1})^2 q_j^2 (1 - q_j) / D_j, last
             band (l/2)^2 4 / (D M^2), over l_i^2 (Silcocks et al. 2001)
      limits = e_i -/+ z sqrt(var)

    Not published (null), as PHE: a group without exactly 20 bands, with a band of
    negative deaths, of population 0 or less, or of more deaths than population, or
    with a total population of 5,000 or less, or without deaths in the last band (no
    finite value); and any value whose 95% interval is wider than 20 years (1.96 x
    standard error > 10). suppression_reason says which.
-#}
{% macro life_expectancy(relation, group_columns=[]) -%}
    {%- set by = group_columns | join(', ') -%}
    {%- set partition = ('partition by ' ~ by ~ ' ') if group_columns else '' -%}
    {%- set ordered = partition ~ 'order by start_age' -%}
    {%- set later = ordered ~ ' rows between current row and unbounded following' -%}
    {%- set prefix = by ~ ', ' if group_columns else '' -%}
    {%- set qualified_partition = ('partition by le_errors.' ~ (group_columns | join(', le_errors.'))) if group_columns else '' -%}
    with le_groups as (

        select
            {{ prefix }}
            case
                when count(*) <> 20 then 'not 20 age bands'
                when min(deaths) < 0 then 'negative deaths'
                when min(population) <= 0 then 'a band without population'
                when max(case when deaths > population then 1 else 0 end) = 1 then 'more deaths than population'
                when sum(population) <= 5000 then 'population of 5,000 or less'
            end as group_suppression_reason
        from {{ relation }}
        {% if group_columns %}group by {{ by }}{% endif %}

    ),

    le_bands as (

        select
            {{ prefix }}
            start_age,
            {{ footprint.statistics_double('deaths') }} as deaths,
            {{ footprint.statistics_double('population') }} as population,
            {{ footprint.statistics_double('deaths') }} / {{ footprint.statistics_double('population') }} as death_rate,
            case when start_age = 0 then 0.1 else 0.5 end as fraction_lived,
            lead(start_age) over ({{ ordered }}) is null as is_last_band,
            {{ footprint.statistics_double('coalesce(lead(start_age) over (' ~ ordered ~ ') - start_age, '
                ~ '2 * population / nullif(deaths, 0))') }} as band_width
        from {{ relation }}

    ),

    le_probabilities as (

        select
            le_bands.*,
            case
                when deaths <= population / band_width / fraction_lived
                    then death_rate * band_width / (1 + death_rate * band_width * (1 - fraction_lived))
                else 1
            end as probability_of_dying
        from le_bands

    ),

    le_survivors as (

        select
            le_probabilities.*,
            100000 * coalesce(product(1 - probability_of_dying) over (
                {{ ordered }} rows between unbounded preceding and 1 preceding), 1) as survivors
        from le_probabilities

    ),

    le_years as (

        select
            le_survivors.*,
            survivors - coalesce(lead(survivors) over ({{ ordered }}), 0) as dying,
            case
                when is_last_band then survivors / death_rate
                else band_width * (lead(survivors) over ({{ ordered }})
                    + fraction_lived * (survivors - lead(survivors) over ({{ ordered }})))
            end as years_lived
        from le_survivors

    ),

    le_expectancy as (

        select
            le_years.*,
            case when survivors = 0 then 0 else sum(years_lived) over ({{ later }}) / survivors end as expectancy
        from le_years

    ),

    le_variance as (

        select
            le_expectancy.*,
            case
                when is_last_band then power(survivors / 2, 2) * 4 / (deaths * power(death_rate, 2))
                when dying = 0 then 0
                else power(probability_of_dying, 2) * (1 - probability_of_dying) / deaths
                    * power(survivors, 2)
                    * power((1 - fraction_lived) * band_width + lead(expectancy) over ({{ ordered }}), 2)
            end as weighted_variance
        from le_expectancy

    ),

    le_errors as (

        select
            le_variance.*,
            sqrt(sum(weighted_variance) over ({{ later }}) / power(survivors, 2)) as standard_error
        from le_variance

    )

    select
        {% for column in group_columns %}le_errors.{{ column }}, {% endfor %}
        le_errors.start_age,
        coalesce(
            le_groups.group_suppression_reason,
            case
                when max(case when le_errors.is_last_band and le_errors.deaths = 0 then 1 else 0 end)
                    over ({{ qualified_partition }}) = 1 then 'no deaths in the last age band'
            end,
            case when 1.959963984540054 * le_errors.standard_error > 10 then '95% interval wider than 20 years' end
        ) as suppression_reason,
        le_errors.expectancy as unsuppressed_life_expectancy,
        le_errors.standard_error
    from le_errors
    {%- if group_columns %}
    inner join le_groups
        on {% for column in group_columns %}le_errors.{{ column }} = le_groups.{{ column }}{% if not loop.last %} and {% endif %}{% endfor %}
    {%- else %}
    cross join le_groups
    {%- endif %}
{%- endmacro %}

{#- Life expectancy and its limits from a life_expectancy() row: null when suppressed. -#}
{% macro life_expectancy_value(row='') -%}
    case when {{ row }}suppression_reason is null then {{ row }}unsuppressed_life_expectancy end
{%- endmacro %}

{% macro life_expectancy_lower(row='', confidence=0.95) -%}
    {%- set z = {0.95: 1.959963984540054, 0.998: 3.090232306167813}[confidence] -%}
    case when {{ row }}suppression_reason is null
        then {{ row }}unsuppressed_life_expectancy - {{ z }} * {{ row }}standard_error end
{%- endmacro %}

{% macro life_expectancy_upper(row='', confidence=0.95) -%}
    {%- set z = {0.95: 1.959963984540054, 0.998: 3.090232306167813}[confidence] -%}
    case when {{ row }}suppression_reason is null
        then {{ row }}unsuppressed_life_expectancy + {{ z }} * {{ row }}standard_error end
{%- endmacro %}
