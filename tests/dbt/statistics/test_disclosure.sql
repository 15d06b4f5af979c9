-- Disclosure control for published counts (NHS Digital rule): 0 stays 0, 1-7 are
-- suppressed, the rest rounded to the nearest 5 (half away from zero); a rate from a
-- suppressed count is suppressed. Returns the cases that are wrong.

with cases as (
    select *
    from (
        values
            (0, 0, false, 12.5),
            (1, null, true, null),
            (2, null, true, null),
            (7, null, true, null),
            (8, 10, false, 12.5),
            (12, 10, false, 12.5),
            (13, 15, false, 12.5),
            (15, 15, false, 12.5),
            (1234, 1235, false, 12.5),
            (1237, 1235, false, 12.5),
            (1238, 1240, false, 12.5),
            -- fractional counts: ties round up (away from zero), below 8 is suppressed
            (7.5, null, true, null),
            (12.5, 15, false, 12.5),
            (22.5, 25, false, 12.5),
            (0.4, null, true, null),
            -- not a count: withheld
            (-3, null, true, null),
            -- no count: nothing to suppress, the rate passes through
            (null, null, false, 12.5)
    ) as expected (event_count, expected_count, expected_suppressed, expected_rate)
),

computed as (
    select
        cases.*,
        {{ disclose_count('event_count') }} as actual_count,
        {{ is_suppressed('event_count') }} as actual_suppressed,
        {{ disclose_rate('12.5', 'event_count') }} as actual_rate
    from cases
)

select *
from computed
where actual_count is distinct from expected_count
    or actual_suppressed is distinct from expected_suppressed
    or actual_rate is distinct from expected_rate
