-- Wilson score interval for a proportion (wilson_lower / wilson_upper) against published
-- and independently computed limits; returns the cases that disagree.
--
-- Sources of the expected values:
--   newcombe_1998  Newcombe RG. Two-sided confidence intervals for the single proportion:
--                  comparison of seven methods. Stat Med 1998;17:857-72, Table II,
--                  method 3 (Wilson score without continuity correction), printed to
--                  4 decimals, so compared to +/- 0.00005.
--   scipy          scipy.stats.binomtest(x, n).proportion_ci(confidence, method='wilson')
--                  (scipy 1.17), to 15 significant figures, compared to 6 (rel 5e-7).
--                  65/100 and 1045/5000 are the inputs of PHEindicatormethods' own tests.

with cases as (
    select *
    from (
        values
            ('newcombe_1998', 81, 263, 0.95, 0.2553, 0.3662, 0.00005),
            ('newcombe_1998', 15, 148, 0.95, 0.0624, 0.1605, 0.00005),
            ('newcombe_1998', 0, 20, 0.95, 0.0000, 0.1611, 0.00005),
            ('newcombe_1998', 1, 29, 0.95, 0.0061, 0.1718, 0.00005),
            ('scipy', 81, 263, 0.95, 0.255288519878274, 0.3662095769828, 1e-12),
            ('scipy', 81, 263, 0.998, 0.228035740242005, 0.40138942190937, 1e-12),
            ('scipy', 15, 148, 0.95, 0.0623863995307363, 0.160487241723308, 1e-12),
            ('scipy', 15, 148, 0.998, 0.0473836805065723, 0.20364553090199, 1e-12),
            -- proportion 0: the lower limit is 0
            ('scipy', 0, 20, 0.95, 0, 0.161125158052819, 1e-12),
            ('scipy', 0, 20, 0.998, 0, 0.323170414624055, 1e-12),
            ('scipy', 0, 1, 0.95, 0, 0.793450685622763, 1e-12),
            ('scipy', 0, 1, 0.998, 0, 0.90520909849868, 1e-12),
            ('scipy', 1, 29, 0.95, 0.00611321429276267, 0.171755218793203, 1e-12),
            ('scipy', 1, 29, 0.998, 0.00301600135871694, 0.296586458036421, 1e-12),
            -- proportion 1: the upper limit is 1
            ('scipy', 20, 20, 0.95, 0.838874841947181, 1, 1e-12),
            ('scipy', 20, 20, 0.998, 0.676829585375945, 1, 1e-12),
            ('scipy', 1, 1, 0.95, 0.206549314377237, 1, 1e-12),
            ('scipy', 1, 1, 0.998, 0.0947909015013204, 1, 1e-12),
            ('scipy', 65, 100, 0.95, 0.55254443296888, 0.736357517569025, 1e-12),
            ('scipy', 65, 100, 0.998, 0.495494657407045, 0.778354061408969, 1e-12),
            ('scipy', 1045, 5000, 0.95, 0.197955498800133, 0.22049130373189, 1e-12),
            ('scipy', 1045, 5000, 0.998, 0.191793817990153, 0.227315629025258, 1e-12),
            -- invalid inputs give null rather than an error
            ('invalid', 5, 0, 0.95, null, null, 1e-12),
            ('invalid', 6, 5, 0.95, null, null, 1e-12),
            ('invalid', -1, 5, 0.95, null, null, 1e-12)
    ) as expected (source, numerator, denominator, confidence, expected_lower, expected_upper, abs_tol)
),

computed as (
    select
        cases.*,
        case
            when confidence = 0.95 then {{ wilson_lower('numerator', 'denominator', 0.95) }}
            else {{ wilson_lower('numerator', 'denominator', 0.998) }}
        end as actual_lower,
        case
            when confidence = 0.95 then {{ wilson_upper('numerator', 'denominator', 0.95) }}
            else {{ wilson_upper('numerator', 'denominator', 99.8) }}
        end as actual_upper
    from cases
)

select *
from computed
where {{ statistics_differs('actual_lower', 'expected_lower', abs_tol='abs_tol') }}
    or {{ statistics_differs('actual_upper', 'expected_upper', abs_tol='abs_tol') }}
