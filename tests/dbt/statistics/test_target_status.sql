-- target_status: progress against a key performance target read through polarity.
-- Returns the cases whose status is wrong. 83.0 is the England value for the
-- reablement indicator (% of people 65+ at home 91 days after discharge).

with cases as (
    select *
    from (
        values
            (85.2, 83.0, 'high_is_good', 'met'),
            (83.0, 83.0, 'high_is_good', 'met'),       -- exactly on target is met
            (80.1, 83.0, 'high_is_good', 'not_met'),
            (410.0, 450.0, 'low_is_good', 'met'),
            (450.0, 450.0, 'low_is_good', 'met'),      -- exactly on target is met
            (475.5, 450.0, 'low_is_good', 'not_met'),
            (85.2, 83.0, 'no_judgement', null),        -- a target needs a good direction
            (null, 83.0, 'high_is_good', null),
            (85.2, null, 'high_is_good', null)
    ) as expected (indicator_value, target_value, polarity, expected_status)
),

computed as (
    select
        cases.*,
        {{ target_status('indicator_value', 'target_value', 'polarity') }} as actual_status
    from cases
)

select *
from computed
where actual_status is distinct from expected_status
