with practice_memberships as (

    select * from {{ ref('int_practices_historised') }}

),

sdfs as (

    select * from {{ ref('sdfs') }}

),

final as (

    select
        practice_memberships.practice_membership_id,
        practice_memberships.practice_code,
        practice_memberships.practice_name,
        practice_memberships.pcn_code,
        practice_memberships.pcn_name,
        practice_memberships.sdf_code,
        sdfs.sdf_name,
        cast(practice_memberships.valid_from as date) as valid_from,
        cast(practice_memberships.valid_to as date) as valid_to,
        practice_memberships.valid_to is null as is_current,
        practice_memberships.membership_source
    from practice_memberships
    left join sdfs
        on practice_memberships.sdf_code = sdfs.sdf_code

)

select * from final
