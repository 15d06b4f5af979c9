-- The change between two periods (newcombe_difference_lower / _upper, rate_ratio_log_variance,
-- dsr_variance, dsr_ratio_log_variance, log_ratio_lower / _upper, estimate_difference_lower /
-- _upper, change_judgement);
-- returns the cases that disagree.
--
-- Sources of the expected values:
--   newcombe_1998  Newcombe RG. Interval estimation for the difference between
--                  independent proportions: comparison of eleven methods. Stat Med
--                  1998;17:873-90, Table II, method 10 (score, no continuity correction),
--                  examples (a)-(f), printed to 4 decimals, so compared to +/- 0.00005.
--   numpy          the same formula in numpy (Wilson limits from scipy.stats.norm.ppf),
--                  15 significant figures, compared to 6; also at 99.8%.
--   rothman        breast cancer after fluoroscopy (Boice & Monson 1977): 41 cases in
--                  28,010 person-years against 15 in 19,017, rate ratio 1.86 as printed in
--                  Rothman, Greenland & Lash, Modern Epidemiology, 3rd ed., ch. 14; the
--                  95% and 99.8% log-normal limits, and with dispersion 4 (limits twice as
--                  far on the log scale), from numpy.
--   dsr            no ratio of DSRs is published with its inputs, so: two made-up
--                  three-band DSRs (standard 5000/3000/2000, populations 4000/2500/1500,
--                  counts 20/30/40 then 25/35/60, per 100,000) with their Dobson upper
--                  limits from numpy (phe_dsr's formula); dsr_variance must recover
--                  sum(w^2 O / n^2) x 10^10 exactly (14556.11 and 19612.92) and the ratio
--                  1.3404 its log-normal limits.

with proportions as (
    select *
    from (
        values
            ('newcombe_1998_a', 56, 70, 48, 80, 0.95, 0.0524, 0.3339, 0.00005, 'improved'),
            ('newcombe_1998_b', 9, 10, 3, 10, 0.95, 0.1705, 0.8090, 0.00005, 'improved'),
            ('newcombe_1998_c', 6, 7, 2, 7, 0.95, 0.0582, 0.8062, 0.00005, 'improved'),
            ('newcombe_1998_d', 5, 56, 0, 29, 0.95, -0.0381, 0.1926, 0.00005, 'no_significant_change'),
            ('newcombe_1998_e', 0, 10, 0, 20, 0.95, -0.1611, 0.2775, 0.00005, 'no_significant_change'),
            ('newcombe_1998_f', 10, 10, 0, 20, 0.95, 0.6791, 1.0000, 0.00005, 'improved'),
            ('numpy_a', 56, 70, 48, 80, 0.95, 0.052431472402364815, 0.3338726540369059, 1e-12, 'improved'),
            ('numpy_a', 56, 70, 48, 80, 0.998, -0.03348725364244237, 0.4018117646026351, 1e-12, 'no_significant_change'),
            ('numpy_d', 5, 56, 0, 29, 0.998, -0.16666160074963826, 0.2733230494993523, 1e-12, 'no_significant_change')
    ) as cases (case_name, x1, n1, x2, n2, confidence, expected_lower, expected_upper, abs_tol, expected_judgement)
),

proportions_computed as (
    select
        *,
        case when confidence = 0.95
            then {{ newcombe_difference_lower('x1', 'n1', 'x2', 'n2', 0.95) }}
            else {{ newcombe_difference_lower('x1', 'n1', 'x2', 'n2', 0.998) }}
        end as lower_limit,
        case when confidence = 0.95
            then {{ newcombe_difference_upper('x1', 'n1', 'x2', 'n2', 0.95) }}
            else {{ newcombe_difference_upper('x1', 'n1', 'x2', 'n2', 0.998) }}
        end as upper_limit
    from proportions
),

proportion_failures as (
    select case_name, confidence
    from proportions_computed
    where {{ statistics_differs('lower_limit', 'expected_lower', abs_tol='abs_tol') }}
        or {{ statistics_differs('upper_limit', 'expected_upper', abs_tol='abs_tol') }}
        or {{ change_judgement('lower_limit', 'upper_limit', 0, "'high_is_good'") }} <> expected_judgement
        -- arguments given as expressions (as x / phi is) are each one term
        or {{ statistics_differs(newcombe_difference_lower('x1 + 0', 'n1 + 0', 'x2 + 0', 'n2 + 0', 0.95),
            newcombe_difference_lower('x1', 'n1', 'x2', 'n2', 0.95)) }}
        or {{ statistics_differs(newcombe_difference_upper('x1 + 0', 'n1 + 0', 'x2 + 0', 'n2 + 0', 0.95),
            newcombe_difference_upper('x1', 'n1', 'x2', 'n2', 0.95)) }}
),

rates as (
    select *
    from (
        values
            ('rothman_95', 41, 28010.0, 15, 19017.0, 1.0, 0.95,
                1.8557586576222778, 1.0272259976476372, 3.35256331442787, 'worsened'),
            ('rothman_998', 41, 28010.0, 15, 19017.0, 1.0, 0.998,
                1.8557586576222778, 0.7303702292971088, 4.715197932772136, 'no_significant_change'),
            ('rothman_dispersion_4', 41, 28010.0, 15, 19017.0, 4.0, 0.95,
                1.8557586576222778, 0.5686047837681479, 6.056650055804464, 'no_significant_change'),
            ('zero_count', 0, 28010.0, 15, 19017.0, 1.0, 0.95, 0.0, null, null, 'not_enough_data')
    ) as cases (case_name, o1, d1, o2, d2, dispersion, confidence, expected_ratio, expected_lower,
                expected_upper, expected_judgement)
),

rates_computed as (
    select
        *,
        (o1 / d1) / (o2 / d2) as ratio,
        {{ rate_ratio_log_variance('o1', 'o2', 'dispersion') }} as log_variance
    from rates
),

rate_limits as (
    select
        *,
        case when confidence = 0.95
            then {{ log_ratio_lower('ratio', 'log_variance', 0.95) }}
            else {{ log_ratio_lower('ratio', 'log_variance', 0.998) }}
        end as lower_limit,
        case when confidence = 0.95
            then {{ log_ratio_upper('ratio', 'log_variance', 0.95) }}
            else {{ log_ratio_upper('ratio', 'log_variance', 0.998) }}
        end as upper_limit
    from rates_computed
),

rate_failures as (
    select case_name, confidence
    from rate_limits
    where {{ statistics_differs('ratio', 'expected_ratio') }}
        -- the ratio as printed in the book, to 2 decimals
        or abs(round(ratio, 2) - case when o1 > 0 then 1.86 else 0 end) > 1e-9
        or {{ statistics_differs('lower_limit', 'expected_lower') }}
        or {{ statistics_differs('upper_limit', 'expected_upper') }}
        or {{ change_judgement('lower_limit', 'upper_limit', 1, "'low_is_good'") }} <> expected_judgement
),

dsrs as (
    select
        90.0 as count_1, 1143.3333333333333 as dsr_1, 1405.6501864630325 as upper_1,
        120.0 as count_2, 1532.5 as dsr_2, 1832.826865552161 as upper_2
),

dsrs_computed as (
    select
        *,
        {{ dsr_variance('dsr_1', 'upper_1', 'count_1') }} as variance_1,
        {{ dsr_variance('dsr_2', 'upper_2', 'count_2') }} as variance_2
    from dsrs
),

dsr_limits as (
    select
        *,
        dsr_2 / dsr_1 as ratio,
        {{ log_ratio_lower('dsr_2 / dsr_1', dsr_ratio_log_variance('dsr_2', 'variance_2', 'dsr_1', 'variance_1')) }} as lower_limit,
        {{ log_ratio_upper('dsr_2 / dsr_1', dsr_ratio_log_variance('dsr_2', 'variance_2', 'dsr_1', 'variance_1')) }} as upper_limit
    from dsrs_computed
),

dsr_failures as (
    select 'dsr' as case_name, 0.95 as confidence
    from dsr_limits
    where {{ statistics_differs('variance_1', 14556.111111111113) }}
        or {{ statistics_differs('variance_2', 19612.916666666668) }}
        or {{ statistics_differs('ratio', 1.3403790087463558) }}
        or {{ statistics_differs('lower_limit', 1.0195430582677272) }}
        or {{ statistics_differs('upper_limit', 1.7621775485779243) }}
        or {{ change_judgement('lower_limit', 'upper_limit', 1, "'no_judgement'") }} <> 'higher'
),

-- life expectancy: PHE's worked example (80.1696, 79.8827 to 80.4565; see
-- test_life_expectancy.sql) against 79.0 (78.6 to 79.4); expected from Python's
-- statistics.NormalDist (z = 1.959964 and 3.090232)
estimate_failures as (
    select 'life_expectancy' as case_name, 0.95 as confidence
    where {{ statistics_differs(estimate_difference_lower(80.1696, 79.8827, 80.4565, 79.0, 78.6, 79.4), 0.6773484281386157) }}
        or {{ statistics_differs(estimate_difference_upper(80.1696, 79.8827, 80.4565, 79.0, 78.6, 79.4), 1.6618515718613895) }}
        or {{ statistics_differs(estimate_difference_lower(80.1696, 79.8827, 80.4565, 79.0, 78.6, 79.4, 0.998), 0.39347772319963614) }}
        or {{ statistics_differs(estimate_difference_upper(80.1696, 79.8827, 80.4565, 79.0, 78.6, 79.4, 0.998), 1.9457222768003692) }}
)

select * from estimate_failures
union all
select * from proportion_failures
union all
select * from rate_failures
union all
select * from dsr_failures
