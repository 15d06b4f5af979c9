{#- Every breakdown model (the models tagged 'indicator_breakdown') in one long table:
    the monthly numerators and denominators of each indicator by SDF, GP practice and
    LSOA (and age band for standardised rates). The models come from
    footprint.indicator_breakdown_models() (macros/indicators/indicator_breakdowns.sql). -#}
{%- set breakdown_models = footprint.indicator_breakdown_models() %}

with final as (

    {%- for model_name in breakdown_models %}
    select indicator_id, sdf_code, period_month, practice_code, lsoa_code, age_band, numerator, denominator
    from {{ ref(model_name) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

)

select * from final
