{#- The body of an indicator counted from the high-intensity users of A&E
    (int_ae_high_intensity_users_counted): rolling_12_months rows only (the catalogue's
    from_model), for windows with 12 months behind them. numerator and denominator are
    SQL on user_counts (high_intensity_users, attendances) and, with
    resident_denominator, population (residents of the SDF at the start of the window's
    last month). -#}
{% macro high_intensity_user_indicator(indicator_id, numerator, denominator, resident_denominator=false) -%}
with user_counts as (

    select * from {{ ref('int_ae_high_intensity_users_counted') }}

),

scaffold as (

    {{ footprint.indicator_scaffold() }}

),
{%- if resident_denominator %}

population as (

    {{ footprint.resident_population() }}

),
{%- endif %}

final as (

    select
        {{ footprint.indicator_columns(indicator_id, 'rolling_12_months', numerator, denominator) }}
    from scaffold
    left join user_counts
        on scaffold.sdf_code = user_counts.sdf_code
        and scaffold.period_month = user_counts.period_month
    {%- if resident_denominator %}
    left join population
        on scaffold.sdf_code = population.sdf_code
        and scaffold.period_month = population.period_month
    {%- endif %}
    where scaffold.month_number >= 12

)

select * from final
{%- endmacro %}
