{#- Every indicator model (tagged 'indicator') has the shape int_indicator_counts_unioned
    expects, checked in one query over all of them instead of a set of generic tests per
    model: one row per SDF, period type, month (and age band); its own catalogue
    indicator_id; an SDF from the seed; a period type of month or rolling_12_months.
    Returns one row per offending row, naming the model and the problem. A new indicator
    model is checked as soon as footprint.indicator_models() knows it. -#}
{%- set indicator_models = footprint.indicator_models() %}

with catalogue as (

    select * from {{ ref('indicator_catalogue') }}

),

sdfs as (

    select * from {{ ref('sdfs') }}

),

indicator_rows as (

    {%- for model_name in indicator_models %}
    select
        '{{ model_name }}' as model_name,
        indicator_id,
        sdf_code,
        period_type,
        period_month,
        age_band
    from {{ ref(model_name) }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

grain_repeated as (

    select
        model_name,
        'repeated grain: ' || sdf_code || ' ' || period_type || ' ' || cast(period_month as {{ dbt.type_string() }})
            || coalesce(' ' || age_band, '') as problem
    from indicator_rows
    group by model_name, sdf_code, period_type, period_month, age_band
    having count(*) > 1

),

row_problems as (

    select
        indicator_rows.model_name,
        case
            when catalogue.indicator_id is null then 'indicator_id not in the catalogue: ' || indicator_rows.indicator_id
            when indicator_rows.model_name <> 'int_indicator__' || indicator_rows.indicator_id
                then 'indicator_id of another model: ' || indicator_rows.indicator_id
            when sdfs.sdf_code is null then 'sdf_code not in the sdfs seed: ' || indicator_rows.sdf_code
            when indicator_rows.period_type not in ('month', 'rolling_12_months')
                then 'period_type not month or rolling_12_months: ' || indicator_rows.period_type
        end as problem
    from indicator_rows
    left join catalogue
        on indicator_rows.indicator_id = catalogue.indicator_id
    left join sdfs
        on indicator_rows.sdf_code = sdfs.sdf_code

),

final as (

    select model_name, problem from grain_repeated
    union all
    select model_name, problem from row_problems where problem is not null

)

select * from final
