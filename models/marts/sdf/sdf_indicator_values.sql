{#- Published: every indicator for every SDF and the borough, monthly and rolling 12
    months, under disclosure control (NHS Digital rule: counts of 1-7 suppressed, other
    counts rounded to the nearest 5; a value, interval or comparison built from a
    suppressed numerator is suppressed too). A crude rate whose denominator is a count of
    people of 1-7 (attendances per high-intensity user) is suppressed in the same way;
    population and day denominators are never that small. Aggregates only. -#}
{%- set disclosure_count = footprint.disclosure_basis() %}
with indicator_values as (

    select * from {{ ref('fct_indicator_values') }}

),

final as (

    select
        indicator_id,
        area_type,
        area_code,
        area_name,
        period_type,
        period_month,
        period_start_date,
        period_end_date,
        is_latest_period,
        data_coverage,
        has_sufficient_data,
        method,
        unit,
        polarity,
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
        indicator_type,
        target_value,
        {{ footprint.disclose_rate('target_status', disclosure_count) }} as target_status,
        annualisation_factor,
        {{ footprint.disclose_rate('comparable_value', disclosure_count) }} as comparable_value,
        {{ footprint.disclose_rate('comparable_lower_ci_95', disclosure_count) }} as comparable_lower_ci_95,
        {{ footprint.disclose_rate('comparable_upper_ci_95', disclosure_count) }} as comparable_upper_ci_95
    from indicator_values

)

select * from final
