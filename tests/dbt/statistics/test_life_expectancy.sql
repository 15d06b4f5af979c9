-- Life expectancy, Chiang II abridged life table with Silcocks' limits
-- (footprint.life_expectancy); returns the rows whose value or 95% limits disagree with
-- PHE's published worked values (the value beyond 1 in 10^8, the limits beyond 4
-- decimal places, as the package's own test), or whose suppression differs. The worked
-- limits were made with z = 1.96 (the calculator); the macro, like phe_life_expectancy,
-- uses qnorm(0.975) = 1.959964, which moves them by about 5 x 10^-6 years.
--
-- Source of the expected values: PHEindicatormethods (UKHSA, formerly PHE), test file
-- tests/testthat/testLifeExpectancy.R, data frame df1 and answer1 (life expectancy and
-- 95% limits at each of the 20 start ages, from PHE's life expectancy calculator), and
-- its suppression cases: df_zero_pop (population 0 in band 20-24), df_deaths_greater_pops
-- (85-89: 1,936 deaths in 119 people), df_missing_age (no 90+ band) and df_low_pops
-- (total population 2,835, under 5,000): all values null.

with bands as (
    select *
    from (
        values
            ('a_worked_example', 0, 17, 7060, 80.16960813, 79.88268548, 80.45653078),
            ('a_worked_example', 1, 9, 35059, 79.36245674, 79.0898816, 79.63503188),
            ('a_worked_example', 5, 4, 46974, 75.44193645, 75.17407307, 75.70979983),
            ('a_worked_example', 10, 8, 48489, 70.47299936, 70.20675732, 70.7392414),
            ('a_worked_example', 15, 20, 43219, 65.52909542, 65.26548673, 65.79270412),
            ('a_worked_example', 20, 15, 38561, 60.67510088, 60.41876577, 60.931436),
            ('a_worked_example', 25, 24, 46009, 55.78835987, 55.53801579, 56.03870395),
            ('a_worked_example', 30, 33, 57208, 50.92752727, 50.68279939, 51.17225516),
            ('a_worked_example', 35, 50, 61435, 46.06740425, 45.82666794, 46.30814055),
            ('a_worked_example', 40, 71, 55601, 41.24505636, 41.00842831, 41.48168441),
            ('a_worked_example', 45, 100, 50209, 36.49322717, 36.26223216, 36.72422219),
            ('a_worked_example', 50, 163, 56416, 31.83343842, 31.60996318, 32.05691365),
            ('a_worked_example', 55, 263, 46411, 27.26027992, 27.04337271, 27.47718713),
            ('a_worked_example', 60, 304, 39820, 22.9719144, 22.76653134, 23.17729746),
            ('a_worked_example', 65, 536, 37978, 18.76856852, 18.57570352, 18.96143352),
            ('a_worked_example', 70, 872, 37039, 14.95858336, 14.77985004, 15.13731667),
            ('a_worked_example', 75, 1390, 33288, 11.51684445, 11.34831778, 11.68537112),
            ('a_worked_example', 80, 1605, 23306, 8.618849241, 8.451134045, 8.786564437),
            ('a_worked_example', 85, 1936, 11936, 6.163942934, 5.978358351, 6.349527517),
            ('a_worked_example', 90, 1937, 11936, 6.16210635, 5.887683386, 6.436529314),
            ('b_zero_population', 0, 17, 7060, null, null, null),
            ('b_zero_population', 1, 9, 35059, null, null, null),
            ('b_zero_population', 5, 4, 46974, null, null, null),
            ('b_zero_population', 10, 8, 48489, null, null, null),
            ('b_zero_population', 15, 20, 43219, null, null, null),
            ('b_zero_population', 20, 15, 0, null, null, null),
            ('b_zero_population', 25, 24, 46009, null, null, null),
            ('b_zero_population', 30, 33, 57208, null, null, null),
            ('b_zero_population', 35, 50, 61435, null, null, null),
            ('b_zero_population', 40, 71, 55601, null, null, null),
            ('b_zero_population', 45, 100, 50209, null, null, null),
            ('b_zero_population', 50, 163, 56416, null, null, null),
            ('b_zero_population', 55, 263, 46411, null, null, null),
            ('b_zero_population', 60, 304, 39820, null, null, null),
            ('b_zero_population', 65, 536, 37978, null, null, null),
            ('b_zero_population', 70, 872, 37039, null, null, null),
            ('b_zero_population', 75, 1390, 33288, null, null, null),
            ('b_zero_population', 80, 1605, 23306, null, null, null),
            ('b_zero_population', 85, 1936, 11936, null, null, null),
            ('b_zero_population', 90, 1937, 11936, null, null, null),
            ('c_deaths_above_population', 0, 17, 7060, null, null, null),
            ('c_deaths_above_population', 1, 9, 35059, null, null, null),
            ('c_deaths_above_population', 5, 4, 46974, null, null, null),
            ('c_deaths_above_population', 10, 8, 48489, null, null, null),
            ('c_deaths_above_population', 15, 20, 43219, null, null, null),
            ('c_deaths_above_population', 20, 15, 38561, null, null, null),
            ('c_deaths_above_population', 25, 24, 46009, null, null, null),
            ('c_deaths_above_population', 30, 33, 57208, null, null, null),
            ('c_deaths_above_population', 35, 50, 61435, null, null, null),
            ('c_deaths_above_population', 40, 71, 55601, null, null, null),
            ('c_deaths_above_population', 45, 100, 50209, null, null, null),
            ('c_deaths_above_population', 50, 163, 56416, null, null, null),
            ('c_deaths_above_population', 55, 263, 46411, null, null, null),
            ('c_deaths_above_population', 60, 304, 39820, null, null, null),
            ('c_deaths_above_population', 65, 536, 37978, null, null, null),
            ('c_deaths_above_population', 70, 872, 37039, null, null, null),
            ('c_deaths_above_population', 75, 1390, 33288, null, null, null),
            ('c_deaths_above_population', 80, 1605, 23306, null, null, null),
            ('c_deaths_above_population', 85, 1936, 119, null, null, null),
            ('c_deaths_above_population', 90, 1937, 11936, null, null, null),
            ('d_missing_band', 0, 17, 7060, null, null, null),
            ('d_missing_band', 1, 9, 35059, null, null, null),
            ('d_missing_band', 5, 4, 46974, null, null, null),
            ('d_missing_band', 10, 8, 48489, null, null, null),
            ('d_missing_band', 15, 20, 43219, null, null, null),
            ('d_missing_band', 20, 15, 38561, null, null, null),
            ('d_missing_band', 25, 24, 46009, null, null, null),
            ('d_missing_band', 30, 33, 57208, null, null, null),
            ('d_missing_band', 35, 50, 61435, null, null, null),
            ('d_missing_band', 40, 71, 55601, null, null, null),
            ('d_missing_band', 45, 100, 50209, null, null, null),
            ('d_missing_band', 50, 163, 56416, null, null, null),
            ('d_missing_band', 55, 263, 46411, null, null, null),
            ('d_missing_band', 60, 304, 39820, null, null, null),
            ('d_missing_band', 65, 536, 37978, null, null, null),
            ('d_missing_band', 70, 872, 37039, null, null, null),
            ('d_missing_band', 75, 1390, 33288, null, null, null),
            ('d_missing_band', 80, 1605, 23306, null, null, null),
            ('d_missing_band', 85, 1936, 11936, null, null, null),
            ('e_low_population', 0, 58, 128, null, null, null),
            ('e_low_population', 1, 93, 152, null, null, null),
            ('e_low_population', 5, 78, 120, null, null, null),
            ('e_low_population', 10, 94, 176, null, null, null),
            ('e_low_population', 15, 59, 194, null, null, null),
            ('e_low_population', 20, 71, 180, null, null, null),
            ('e_low_population', 25, 80, 145, null, null, null),
            ('e_low_population', 30, 73, 149, null, null, null),
            ('e_low_population', 35, 69, 107, null, null, null),
            ('e_low_population', 40, 72, 185, null, null, null),
            ('e_low_population', 45, 91, 165, null, null, null),
            ('e_low_population', 50, 69, 109, null, null, null),
            ('e_low_population', 55, 78, 100, null, null, null),
            ('e_low_population', 60, 71, 122, null, null, null),
            ('e_low_population', 65, 54, 133, null, null, null),
            ('e_low_population', 70, 91, 189, null, null, null),
            ('e_low_population', 75, 82, 123, null, null, null),
            ('e_low_population', 80, 53, 121, null, null, null),
            ('e_low_population', 85, 50, 147, null, null, null),
            ('e_low_population', 90, 84, 138, null, null, null)
    ) as worked (area, start_age, deaths, population, expected_value, expected_lower, expected_upper)
),

life_table as (
    {{ footprint.life_expectancy('bands', group_columns=['area']) }}
),

compared as (
    select
        bands.area,
        bands.start_age,
        {{ footprint.life_expectancy_value('life_table.') }} as actual_value,
        {{ footprint.life_expectancy_lower('life_table.') }} as actual_lower,
        {{ footprint.life_expectancy_upper('life_table.') }} as actual_upper,
        life_table.suppression_reason,
        bands.expected_value,
        bands.expected_lower,
        bands.expected_upper
    from bands
    left join life_table
        on bands.area = life_table.area
        and bands.start_age = life_table.start_age
)

select *
from compared
where {{ footprint.statistics_differs('actual_value', 'expected_value', rel_tol=1e-8) }}
    or {{ footprint.statistics_differs('actual_lower', 'expected_lower', rel_tol=0, abs_tol=5e-5) }}
    or {{ footprint.statistics_differs('actual_upper', 'expected_upper', rel_tol=0, abs_tol=5e-5) }}
    or (expected_value is null and suppression_reason is null)
