{#- Every catalogue indicator has a plain-English definition in indicator_narratives, and
    every key performance target says why the partnership can influence it: the profiles
    and editions show these words beside the figures and never make them up. Returns one
    row per indicator that lacks them. -#}
{{ config(tags=['reference_data']) }}

with catalogue as (

    select * from {{ ref('indicator_catalogue') }}

),

narratives as (

    select * from {{ ref('indicator_narratives') }}

),

final as (

    select
        catalogue.indicator_id,
        case
            when narratives.indicator_id is null then 'no row in indicator_narratives'
            when trim(coalesce(narratives.plain_definition, '')) = '' then 'no plain_definition'
            else 'a key performance target with no why_partnership_can_influence'
        end as problem
    from catalogue
    left join narratives
        on catalogue.indicator_id = narratives.indicator_id
    where
        narratives.indicator_id is null
        or trim(coalesce(narratives.plain_definition, '')) = ''
        or (
            catalogue.indicator_type = 'key_performance_target'
            and trim(coalesce(narratives.why_partnership_can_influence, '')) = ''
        )

)

select * from final
