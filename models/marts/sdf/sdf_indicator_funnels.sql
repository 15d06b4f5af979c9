{#- Published: the funnel of every indicator on its headline period type (SDFs against
    the borough, overdispersion-adjusted 95% and 99.8% limits at each SDF's
    denominator), under disclosure control: counts of 1-7 suppressed, others rounded to
    the nearest 5; an SDF's value, z-score, limits and position built from a suppressed
    count are suppressed, and so are the funnel's phi, tau2, limits and positions for
    every SDF when any SDF of it has a suppressed count (they are built from all of
    them). A crude rate over 1-7 people is suppressed too (footprint.disclosure_basis).
    Aggregates only. -#}
{%- set disclosure_count = footprint.disclosure_basis() %}
with funnels as (

    select * from {{ ref('fct_indicator_funnels') }}

),

final as (

    select
        indicator_id,
        period_type,
        period_month,
        period_start_date,
        period_end_date,
        is_latest_period,
        area_code,
        area_name,
        method,
        funnel_data_type,
        polarity,
        {{ footprint.is_suppressed(disclosure_count) }} as is_suppressed,
        has_suppressed_sdf,
        {{ footprint.disclose_rate(footprint.disclose_count('numerator'), disclosure_count) }} as numerator,
        {{ footprint.disclose_count('denominator') }} as denominator,
        {{ footprint.disclose_rate(footprint.disclose_count('funnel_denominator'), disclosure_count) }} as funnel_denominator,
        {{ footprint.disclose_rate('indicator_value', disclosure_count) }} as indicator_value,
        borough_value,
        {{ footprint.disclose_rate('z', disclosure_count) }} as z,
        n_units,
        {%- for column in ['phi', 'tau2', 'is_overdispersion_adjusted', 'lower_limit_95', 'upper_limit_95',
                           'lower_limit_998', 'upper_limit_998', 'funnel_position', 'is_outlier'] %}
        case when not has_suppressed_sdf then {{ column }} end as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from funnels

)

select * from final
