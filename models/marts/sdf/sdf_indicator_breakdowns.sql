{#- Published: inside each SDF, each indicator by GP practice, PCN, LSOA, ward and
    deprivation decile for the latest rolling 12 months, under disclosure control. A
    count of 1-7 is suppressed and others are rounded to the nearest 5 (as
    sdf_indicator_values), and a row with either count suppressed shows neither count nor
    its value, interval and comparison; because the rows of a breakdown add up to the
    SDF's published totals, a breakdown with one suppressed row has the next smallest
    row suppressed too (secondary suppression).
    Aggregates only. -#}
{%- set group = 'indicator_id, sdf_code, breakdown_type, period_month' %}
with breakdowns as (

    select * from {{ ref('fct_indicator_breakdowns') }}

),

flagged as (

    select
        breakdowns.*,
        {{ footprint.is_suppressed('numerator') }} or {{ footprint.is_suppressed('denominator') }} as is_primary,
        {{ footprint.is_secondary_suppressed(['numerator', 'denominator'], group, 'breakdown_code') }} as is_secondary
    from breakdowns

),

final as (

    select
        indicator_id,
        sdf_code,
        breakdown_type,
        breakdown_code,
        breakdown_name,
        imd_decile,
        period_type,
        period_month,
        period_start_date,
        period_end_date,
        data_coverage,
        has_sufficient_data,
        method,
        unit,
        polarity,
        is_primary or is_secondary as is_suppressed,
        is_secondary as is_secondary_suppressed,
        case when not (is_primary or is_secondary) then {{ footprint.disclose_count('numerator') }} end as numerator,
        case when not (is_primary or is_secondary) then {{ footprint.disclose_count('denominator') }} end as denominator,
        {%- for column in ['indicator_value', 'lower_ci_95', 'upper_ci_95', 'comparison_with_sdf'] %}
        case when not (is_primary or is_secondary) then {{ column }} end as {{ column }},
        {%- endfor %}
        sdf_value
    from flagged

)

select * from final
