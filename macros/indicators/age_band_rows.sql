{#- The final rows of an indicator counted by age band: the scaffold (CTE `scaffold`,
    one row per SDF, month and band) with the month's count from CTE `monthly_counts`
    (column `count_column`) and the band's population from CTE `population`. -#}
{% macro age_band_indicator_rows(indicator_id, count_column) -%}
    select
        {{ footprint.indicator_columns(indicator_id, 'month',
            'monthly_counts.' ~ count_column, 'population.population', age_band='scaffold.age_band') }}
    from scaffold
    left join monthly_counts
        on scaffold.sdf_code = monthly_counts.sdf_code
        and scaffold.period_month = monthly_counts.period_month
        and scaffold.age_band = monthly_counts.age_band
    left join population
        on scaffold.sdf_code = population.sdf_code
        and scaffold.period_month = population.period_month
        and scaffold.age_band = population.age_band
{%- endmacro %}
