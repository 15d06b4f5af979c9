{#- Published SDF profile: fct_sdf_profiles under disclosure control (counts of 1-7
    suppressed, others rounded to the nearest 5; the value, interval and comparisons of
    a suppressed count suppressed; the change against the previous 12 months suppressed
    when either period's count is). Aggregates only: no person-level rows, no pseudonyms.
    A crude rate over 1-7 people is suppressed too (footprint.disclosure_basis). -#}
{%- set disclosure_count = footprint.disclosure_basis() %}
{%- set current_count = footprint.disclosure_basis(numerator='change_current_numerator', denominator='change_current_denominator') %}
{%- set previous_count = footprint.disclosure_basis(numerator='change_previous_numerator', denominator='change_previous_denominator') %}
with profiles as (

    select * from {{ ref('fct_sdf_profiles') }}

),

final as (

    select
        area_code,
        area_name,
        area_type,
        indicator_id,
        indicator_name,
        display_order,
        unit,
        method,
        polarity,
        indicator_type,
        framework,
        framework_code,
        framework_version,
        owner_organisation,
        attribution,
        period_type,
        period_start_date,
        period_end_date,
        {{ footprint.is_suppressed(disclosure_count) }} as is_suppressed,
        {{ footprint.disclose_rate(footprint.disclose_count('numerator'), disclosure_count) }} as numerator,
        {{ footprint.disclose_count('denominator') }} as denominator,
        {{ footprint.disclose_rate('indicator_value', disclosure_count) }} as indicator_value,
        {{ footprint.disclose_rate('lower_ci_95', disclosure_count) }} as lower_ci_95,
        {{ footprint.disclose_rate('upper_ci_95', disclosure_count) }} as upper_ci_95,
        borough_value,
        {{ footprint.disclose_rate('comparison_with_borough', disclosure_count) }} as comparison_with_borough,
        england_value,
        {{ footprint.disclose_rate('comparison_with_england', disclosure_count) }} as comparison_with_england,
        {{ footprint.disclose_rate('is_outlier', disclosure_count) }} as is_outlier,
        trend_period_type,
        trend_first_period_month,
        trend_last_period_month,
        trend_points,
        trend_direction,
        trend_judgement,
        is_trend_significant,
        target_value,
        {{ footprint.disclose_rate('target_status', disclosure_count) }} as target_status,
        trend_dispersion,
        {{ footprint.disclose_rate('change_current_value', current_count) }} as change_current_value,
        {{ footprint.disclose_rate('change_previous_value', previous_count) }} as change_previous_value,
        change_type,
        {{ footprint.disclose_rate(footprint.disclose_rate('change_value', previous_count), current_count) }} as change_value,
        {{ footprint.disclose_rate(footprint.disclose_rate('change_lower_ci_95', previous_count), current_count) }} as change_lower_ci_95,
        {{ footprint.disclose_rate(footprint.disclose_rate('change_upper_ci_95', previous_count), current_count) }} as change_upper_ci_95,
        {{ footprint.disclose_rate(footprint.disclose_rate('change_judgement', previous_count), current_count) }} as change_judgement
    from profiles

)

select * from final
