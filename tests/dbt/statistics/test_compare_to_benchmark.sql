-- Comparison by interval overlap, read through polarity: compare_to_benchmark
-- (interval vs a benchmark value, as Fingertips compares an area with England) and
-- compare_intervals (interval vs interval). Returns the cases whose reading differs.
-- Expected values follow the Fingertips rule: significantly higher when the lower
-- limit is above the benchmark, lower when the upper limit is below it; touching is
-- similar.

with benchmark_cases as (
    select *
    from (
        values
            -- above the benchmark
            (12.0, 15.0, 10.0, 'high_is_good', 'better'),
            (12.0, 15.0, 10.0, 'low_is_good', 'worse'),
            (12.0, 15.0, 10.0, 'no_judgement', 'higher'),
            -- below the benchmark
            (5.0, 8.0, 10.0, 'high_is_good', 'worse'),
            (5.0, 8.0, 10.0, 'low_is_good', 'better'),
            (5.0, 8.0, 10.0, 'no_judgement', 'lower'),
            -- overlapping
            (8.0, 12.0, 10.0, 'high_is_good', 'similar'),
            (8.0, 12.0, 10.0, 'low_is_good', 'similar'),
            (8.0, 12.0, 10.0, 'no_judgement', 'similar'),
            -- a limit exactly on the benchmark is not significant
            (10.0, 12.0, 10.0, 'high_is_good', 'similar'),
            (8.0, 10.0, 10.0, 'low_is_good', 'similar'),
            -- no interval or no benchmark: not compared
            (null, 12.0, 10.0, 'high_is_good', 'not_compared'),
            (8.0, null, 10.0, 'high_is_good', 'not_compared'),
            (12.0, 15.0, null, 'low_is_good', 'not_compared'),
            -- an unknown or missing polarity reads as no judgement
            (12.0, 15.0, 10.0, null, 'higher'),
            (5.0, 8.0, 10.0, null, 'lower')
    ) as expected (lower_ci, upper_ci, benchmark_value, polarity, expected_reading)
),

interval_cases as (
    select *
    from (
        values
            -- a wholly above b
            (12.0, 15.0, 8.0, 11.0, 'high_is_good', 'better'),
            (12.0, 15.0, 8.0, 11.0, 'low_is_good', 'worse'),
            (12.0, 15.0, 8.0, 11.0, 'no_judgement', 'higher'),
            -- a wholly below b
            (2.0, 7.0, 8.0, 11.0, 'high_is_good', 'worse'),
            (2.0, 7.0, 8.0, 11.0, 'low_is_good', 'better'),
            (2.0, 7.0, 8.0, 11.0, 'no_judgement', 'lower'),
            -- overlapping, nested, touching
            (9.0, 13.0, 8.0, 11.0, 'high_is_good', 'similar'),
            (9.0, 10.0, 8.0, 11.0, 'low_is_good', 'similar'),
            (11.0, 13.0, 8.0, 11.0, 'high_is_good', 'similar'),
            -- any limit missing
            (12.0, 15.0, null, 11.0, 'high_is_good', 'not_compared'),
            (null, 15.0, 8.0, 11.0, 'low_is_good', 'not_compared')
    ) as expected (lower_a, upper_a, lower_b, upper_b, polarity, expected_reading)
),

computed as (
    select
        'compare_to_benchmark' as macro_name,
        polarity,
        expected_reading,
        {{ compare_to_benchmark('lower_ci', 'upper_ci', 'benchmark_value', 'polarity') }} as actual_reading
    from benchmark_cases
    union all
    select
        'compare_intervals' as macro_name,
        polarity,
        expected_reading,
        {{ compare_intervals('lower_a', 'upper_a', 'lower_b', 'upper_b', 'polarity') }} as actual_reading
    from interval_cases
    union all
    -- polarity given as a literal rather than a column
    select
        'compare_to_benchmark_literal' as macro_name,
        'low_is_good' as polarity,
        'better' as expected_reading,
        {{ compare_to_benchmark('5.0', '8.0', '10.0', "'low_is_good'") }} as actual_reading
)

select *
from computed
where actual_reading is distinct from expected_reading
