{#- Inside each SDF: every indicator that has a breakdown model, for the SDF's latest
    rolling 12 months, by GP practice and PCN (where the records carry the practice) and,
    for indicators attributed by residence, by LSOA, ward (the current ward set) and the
    LSOA's deprivation decile (IMD, 1 = most deprived). The cells of a breakdown add up
    to the SDF's own numerator and denominator (tests/dbt/indicators/
    test_breakdowns_add_up.sql), and the values, intervals and coverage adjustment are
    those of fct_indicator_values: the same macros, the same 12 months, the same data
    coverage. Unrounded and unsuppressed: the published twin is sdf.sdf_indicator_breakdowns. -#}
{%- set unit_key = ['indicator_id', 'sdf_code', 'breakdown_type', 'breakdown_code'] %}
with cells as (

    select * from {{ ref('int_indicator_breakdown_cells_unioned') }}

),

catalogue as (

    select * from {{ ref('indicator_catalogue') }}

),

sdf_values as (

    select * from {{ ref('fct_indicator_values') }}
    where area_type = 'sdf'
        and period_type = 'rolling_12_months'
        and is_latest_period

),

practices as (

    select * from {{ ref('dim_practices') }}

),

lsoas as (

    select * from {{ ref('dim_lsoas') }}

),

current_wards as (

    select lsoa_wards.lsoa_code, wards.ward_code, wards.ward_name
    from {{ ref('dim_lsoa_wards') }} as lsoa_wards
    inner join {{ ref('dim_wards') }} as wards
        on lsoa_wards.ward_code = wards.ward_code
    where lsoa_wards.valid_to is null

),

age_bands as (

    select * from {{ ref('dim_age_bands') }}

),

practice_recorded as (

    -- a practice breakdown only where the indicator's records carry the practice
    select distinct indicator_id
    from cells
    where numerator > 0 and practice_code is not null

),

window_cells as (

    -- the months of the SDF's latest rolling 12 months; the practice's PCN that month
    select
        cells.*,
        catalogue.attribution,
        practices.practice_name,
        practices.pcn_code,
        practices.pcn_name,
        lsoas.lsoa_name,
        lsoas.imd_decile,
        current_wards.ward_code,
        current_wards.ward_name,
        practice_recorded.indicator_id is not null as is_practice_recorded
    from cells
    inner join sdf_values
        on cells.indicator_id = sdf_values.indicator_id
        and cells.sdf_code = sdf_values.area_code
        and cells.period_month between sdf_values.period_start_date and sdf_values.period_month
    inner join catalogue
        on cells.indicator_id = catalogue.indicator_id
    left join practice_recorded
        on cells.indicator_id = practice_recorded.indicator_id
    left join practices
        on cells.practice_code = practices.practice_code
        and {{ footprint.is_valid_on('cells.period_month', 'practices.valid_from', 'practices.valid_to') }}
    left join lsoas
        on cells.lsoa_code = lsoas.lsoa_code
    left join current_wards
        on cells.lsoa_code = current_wards.lsoa_code

),

unit_cells as (

    -- practice and PCN where the records carry the practice; neighbourhoods for the
    -- indicators attributed by residence (every record has an LSOA)
    {%- set breakdowns = [
        ('practice', "coalesce(practice_code, 'not_recorded')", "coalesce(practice_name, 'Practice not recorded')", 'null', 'is_practice_recorded'),
        ('pcn', "coalesce(pcn_code, 'not_recorded')", "coalesce(pcn_name, 'PCN not recorded')", 'null', 'is_practice_recorded'),
        ('lsoa', 'lsoa_code', 'lsoa_name', 'imd_decile', "attribution = 'residence'"),
        ('ward', 'ward_code', 'ward_name', 'null', "attribution = 'residence'"),
        ('imd_decile', dbt.cast('imd_decile', dbt.type_string()),
            "'IMD decile ' || " ~ dbt.cast('imd_decile', dbt.type_string()), 'imd_decile', "attribution = 'residence'"),
    ] %}
    {%- for breakdown_type, code, name, decile, condition in breakdowns %}
    select
        indicator_id, sdf_code, age_band, numerator, denominator,
        '{{ breakdown_type }}' as breakdown_type,
        {{ code }} as breakdown_code,
        {{ name }} as breakdown_name,
        cast({{ decile }} as integer) as imd_decile
    from window_cells
    where {{ condition }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

unit_sums as (

    -- the rolling 12 months as the SDF's (int_indicator_counts_unioned): numerators
    -- summed; a population denominator the mean of the 12 months, days the days in
    -- the window, both taken over the observed part (data coverage)
    select
        unit_cells.indicator_id,
        unit_cells.sdf_code,
        unit_cells.breakdown_type,
        unit_cells.breakdown_code,
        max(unit_cells.breakdown_name) as breakdown_name,
        max(unit_cells.imd_decile) as imd_decile,
        unit_cells.age_band,
        {{ footprint.statistics_exact_sum('unit_cells.numerator') }} as numerator,
        case
            when max(catalogue.denominator_source) = 'days' then
                max({{ dbt.datediff('sdf_values.period_start_date', 'sdf_values.period_end_date', 'day') }} + 1)
                * max(sdf_values.data_coverage)
            when max(catalogue.denominator_source) in ('resident_population', 'registered_population') then
                {{ footprint.statistics_exact_sum('unit_cells.denominator') }} / 12 * max(sdf_values.data_coverage)
            else {{ footprint.statistics_exact_sum('unit_cells.denominator') }}
        end as denominator
    from unit_cells
    inner join catalogue
        on unit_cells.indicator_id = catalogue.indicator_id
    inner join sdf_values
        on unit_cells.indicator_id = sdf_values.indicator_id
        and unit_cells.sdf_code = sdf_values.area_code
    group by {% for column in unit_key %}unit_cells.{{ column }}, {% endfor %}unit_cells.age_band

),

crude_intervals as (

    select
        {{ unit_key | join(', ') }}, breakdown_name, imd_decile, numerator, denominator,
        {{ footprint.indicator_interval_columns('catalogue.method', 'numerator', 'denominator', 'catalogue.multiplier') }}
    from unit_sums
    inner join catalogue using (indicator_id)
    where catalogue.method <> 'dsr'

),

standardised_units as (

    -- every unit with all 19 bands, so that a band without people makes the rate null
    select distinct unit_sums.indicator_id, unit_sums.sdf_code, unit_sums.breakdown_type,
        unit_sums.breakdown_code, unit_sums.breakdown_name, unit_sums.imd_decile,
        age_bands.age_band, age_bands.esp2013_standard_population
    from unit_sums
    inner join catalogue using (indicator_id)
    cross join age_bands
    where catalogue.method = 'dsr'

),

standardised_intervals as (

    select
        {% for column in unit_key %}standardised_units.{{ column }}, {% endfor %}
        max(standardised_units.breakdown_name) as breakdown_name,
        max(standardised_units.imd_decile) as imd_decile,
        {{ footprint.statistics_exact_sum('coalesce(unit_sums.numerator, 0)') }} as numerator,
        {{ footprint.statistics_exact_sum('unit_sums.denominator') }} as denominator,
        {{ footprint.dsr_interval_columns('unit_sums.numerator', 'unit_sums.denominator',
            'standardised_units.esp2013_standard_population', 'max(catalogue.multiplier)') }}
    from standardised_units
    inner join catalogue
        on standardised_units.indicator_id = catalogue.indicator_id
    left join unit_sums
        on {% for column in unit_key %}standardised_units.{{ column }} = unit_sums.{{ column }} and {% endfor %}standardised_units.age_band = unit_sums.age_band
    group by {% for column in unit_key %}standardised_units.{{ column }}{% if not loop.last %}, {% endif %}{% endfor %}

),

unit_values as (

    select * from crude_intervals
    union all
    select * from standardised_intervals

),

final as (

    select
        unit_values.indicator_id,
        unit_values.sdf_code,
        cast(unit_values.breakdown_type as {{ dbt.type_string() }}) as breakdown_type,
        cast(unit_values.breakdown_code as {{ dbt.type_string() }}) as breakdown_code,
        cast(unit_values.breakdown_name as {{ dbt.type_string() }}) as breakdown_name,
        cast(unit_values.imd_decile as integer) as imd_decile,
        sdf_values.period_type,
        sdf_values.period_month,
        sdf_values.period_start_date,
        sdf_values.period_end_date,
        sdf_values.data_coverage,
        sdf_values.has_sufficient_data,
        sdf_values.method,
        sdf_values.unit,
        sdf_values.polarity,
        {{ footprint.statistics_double('unit_values.numerator') }} as numerator,
        {{ footprint.statistics_double('unit_values.denominator') }} as denominator,
        {{ footprint.statistics_double('case when sdf_values.has_sufficient_data then unit_values.indicator_value end') }} as indicator_value,
        {{ footprint.statistics_double('case when sdf_values.has_sufficient_data then unit_values.lower_ci_95 end') }} as lower_ci_95,
        {{ footprint.statistics_double('case when sdf_values.has_sufficient_data then unit_values.upper_ci_95 end') }} as upper_ci_95,
        sdf_values.indicator_value as sdf_value,
        -- a count per day grows with the size of the area: not compared with the SDF's
        case when sdf_values.has_sufficient_data and catalogue.denominator_source <> 'days' then
            {{ footprint.compare_to_benchmark('unit_values.lower_ci_95', 'unit_values.upper_ci_95',
                'sdf_values.indicator_value', 'sdf_values.polarity') }}
        end as comparison_with_sdf
    from unit_values
    inner join sdf_values
        on unit_values.indicator_id = sdf_values.indicator_id
        and unit_values.sdf_code = sdf_values.area_code
    inner join catalogue
        on unit_values.indicator_id = catalogue.indicator_id

)

select * from final
