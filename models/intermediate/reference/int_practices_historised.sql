{#- Each practice's PCN and SDF over time, as half-open validity ranges.
    From the first month the CCG's practice_map feed covers, the feed decides: months
    with the same PCN and SDF are collapsed into one range, which ends where the next
    one starts; the latest range stays open. A practice missing from a month's map (or
    a month missing altogether) keeps its last known membership: a missing row is far
    more often a quarantined row or a skipped delivery than a closed practice. Before
    the first month the feed maps a practice, the practices seed (reference data)
    fills in, cut off at that month. -#}
with practice_maps as (

    select * from {{ ref('stg_ccg__practice_map') }}

),

deliveries as (

    select * from {{ ref('stg_ingest__load_manifest') }}

),

practices_seed as (

    select * from {{ ref('practices') }}

),

mapped_months as (

    select
        practice_maps.practice_code,
        practice_maps.practice_name,
        practice_maps.pcn_code,
        practice_maps.pcn_name,
        practice_maps.sdf_code,
        {{ footprint.month_of('deliveries.period_start_date') }} as map_month_start_date
    from practice_maps
    inner join deliveries
        on practice_maps.delivery_id = deliveries.delivery_id

),

practice_first_months as (

    -- per practice, so that a practice whose first mapped row was quarantined keeps
    -- the seed's membership until the feed first shows it
    select
        practice_code,
        min(map_month_start_date) as first_map_month_start_date
    from mapped_months
    group by practice_code

),

membership_changes as (

    select
        mapped_months.*,
        case
            when lag(pcn_code) over (partition by practice_code order by map_month_start_date) = pcn_code
                and lag(sdf_code) over (partition by practice_code order by map_month_start_date) = sdf_code
                then 0
            else 1
        end as is_new_membership
    from mapped_months

),

membership_islands as (

    select
        membership_changes.*,
        sum(is_new_membership) over (
            partition by practice_code order by map_month_start_date
            rows between unbounded preceding and current row
        ) as membership_number
    from membership_changes

),

feed_memberships as (

    select
        practice_code,
        membership_number,
        max(practice_name) as practice_name,
        max(pcn_code) as pcn_code,
        max(pcn_name) as pcn_name,
        max(sdf_code) as sdf_code,
        min(map_month_start_date) as valid_from
    from membership_islands
    group by practice_code, membership_number

),

feed_ranges as (

    select
        feed_memberships.practice_code,
        feed_memberships.practice_name,
        feed_memberships.pcn_code,
        feed_memberships.pcn_name,
        feed_memberships.sdf_code,
        feed_memberships.valid_from,
        lead(feed_memberships.valid_from) over (
            partition by feed_memberships.practice_code order by feed_memberships.valid_from
        ) as valid_to,
        'practice_map_feed' as membership_source
    from feed_memberships

),

seed_ranges as (

    select
        practices_seed.practice_code,
        practices_seed.practice_name,
        practices_seed.pcn_code,
        practices_seed.pcn_name,
        practices_seed.sdf_code,
        practices_seed.valid_from,
        case
            when practice_first_months.first_map_month_start_date is null then practices_seed.valid_to
            when practices_seed.valid_to is null
                or practices_seed.valid_to > practice_first_months.first_map_month_start_date
                then practice_first_months.first_map_month_start_date
            else practices_seed.valid_to
        end as valid_to,
        'practices_seed' as membership_source
    from practices_seed
    left join practice_first_months
        on practices_seed.practice_code = practice_first_months.practice_code
    where practice_first_months.first_map_month_start_date is null
        or practices_seed.valid_from < practice_first_months.first_map_month_start_date

),

unioned as (

    select * from seed_ranges
    union all
    select * from feed_ranges

),

final as (

    select
        {{ dbt.hash(dbt.concat(['practice_code', "'|'", dbt.cast('valid_from', dbt.type_string())])) }}
            as practice_membership_id,
        practice_code,
        practice_name,
        pcn_code,
        pcn_name,
        sdf_code,
        valid_from,
        valid_to,
        membership_source
    from unioned

)

select * from final
