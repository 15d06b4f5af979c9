-- Secondary suppression (macros/statistics/disclosure.sql): within a group whose total
-- is published, a lone suppressed cell (1-7) takes the smallest other non-zero cell
-- with it; with two counts per cell, a cell small in either. Returns the cells whose
-- secondary flag is wrong.

with cases as (
    select *
    from (
        values
            -- none suppressed: nothing more
            ('none', 'a', 10, false),
            ('none', 'b', 20, false),
            ('none', 'c', 30, false),
            -- one suppressed: the next smallest goes too
            ('one', 'a', 3, false),
            ('one', 'b', 25, false),
            ('one', 'c', 10, true),
            -- all suppressed (the total 14 is published, but no cell is)
            ('all', 'a', 2, false),
            ('all', 'b', 5, false),
            ('all', 'c', 7, false),
            -- ties for the smallest: exactly one of them, the first by code
            ('ties', 'a', 4, false),
            ('ties', 'b', 12, false),
            ('ties', 'c', 30, false),
            ('ties', 'd', 12, false),
            ('ties', 'bb', 12, false),
            ('ties', 'ab', 12, true),
            -- zeros are published as 0 and hide nothing: the smallest above 0 goes
            ('zeros', 'a', 5, false),
            ('zeros', 'b', 0, false),
            ('zeros', 'c', 0, false),
            ('zeros', 'd', 20, true),
            -- two suppressed already: neither can be told from the total
            ('two', 'a', 3, false),
            ('two', 'b', 6, false),
            ('two', 'c', 40, false),
            -- the total (5) is suppressed itself: nothing to subtract from
            ('small_total', 'a', 5, false),
            ('small_total', 'b', 0, false),
            -- no count is not a cell to suppress
            ('nulls', 'a', 1, false),
            ('nulls', 'b', null, false),
            ('nulls', 'c', 9, true)
    ) as expected (group_id, cell_code, event_count, expected_secondary)
),

-- two counts per cell (numerator, denominator): a cell goes when either count is small
pair_cases as (
    select *
    from (
        values
            -- a small denominator alone takes the next smallest cell, by numerator first
            ('denominator', 'a', 0, 5, false),
            ('denominator', 'b', 0, 300, true),
            ('denominator', 'c', 20, 100, false),
            -- one cell small in both counts is one suppressed cell
            ('both', 'a', 3, 6, false),
            ('both', 'b', 10, 50, true),
            ('both', 'c', 30, 40, false),
            -- two cells, each small in one count: nothing more
            ('two', 'a', 3, 100, false),
            ('two', 'b', 20, 4, false),
            ('two', 'c', 30, 40, false),
            -- the numerators' total (5) is suppressed, the denominators' is not
            ('one_total', 'a', 5, 100, false),
            ('one_total', 'b', 0, 50, true),
            ('one_total', 'c', 0, 200, false)
    ) as expected (group_id, cell_code, numerator, denominator, expected_secondary)
),

computed as (
    select
        cases.*,
        {{ is_secondary_suppressed('event_count', 'group_id', 'cell_code') }} as actual_secondary
    from cases
),

pair_computed as (
    select
        pair_cases.*,
        {{ is_secondary_suppressed(['numerator', 'denominator'], 'group_id', 'cell_code') }} as actual_secondary
    from pair_cases
)

select group_id, cell_code, expected_secondary, actual_secondary
from computed
where actual_secondary is distinct from expected_secondary

union all

select group_id, cell_code, expected_secondary, actual_secondary
from pair_computed
where actual_secondary is distinct from expected_secondary
