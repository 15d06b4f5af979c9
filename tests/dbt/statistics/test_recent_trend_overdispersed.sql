-- The recent-trend test on a longer series with a dispersion factor (recent_trend with
-- points=8, min_points=6, overdispersion=true, as fct_indicator_trends runs it on 24
-- single months); returns the series whose fit disagrees with the expected one.
--
-- Expected values: an independent numpy fit (beta = (X'WX)^-1 X'Wy, x = 1..8 by
-- position with missing months left out, W = diag(1 / ((upper - lower) / (2 *
-- norm.ppf(0.975)))^2)), dispersion phi = r'Wr / (n - 2) with r the residuals
-- (Pearson chi-squared over degrees of freedom; McCullagh & Nelder 1989, 4.5.2),
-- floored at 1; var(slope) = phi (X'WX)^-1[1,1]; leave-one-out by refitting.
--   runs    a rise with month-to-month swings four times wider than the Poisson
--           intervals allow (phi 8.89): plain chi-squared 29.3 would call it increasing,
--           scaled by phi it is 3.30, no significant change
--   calm    steady rise, scatter well inside the intervals (phi 0.2 -> 1): unchanged by
--           the dispersion, chi-squared 2.92, no significant change
--   gappy   two missing months among the eight: fitted on the six others, increasing
--   sparse  three missing months: five points, below min_points: not enough data

with trend_points as (
    select *
    from (
        values
            ('runs', date '2024-01-01', 100.0, 90.0, 110.0),
            ('runs', date '2024-02-01', 118.0, 108.0, 128.0),
            ('runs', date '2024-03-01', 92.0, 82.0, 102.0),
            ('runs', date '2024-04-01', 128.0, 118.0, 138.0),
            ('runs', date '2024-05-01', 106.0, 96.0, 116.0),
            ('runs', date '2024-06-01', 140.0, 130.0, 150.0),
            ('runs', date '2024-07-01', 112.0, 102.0, 122.0),
            ('runs', date '2024-08-01', 138.0, 128.0, 148.0),
            ('calm', date '2024-01-01', 100.0, 80.0, 120.0),
            ('calm', date '2024-02-01', 103.0, 83.0, 123.0),
            ('calm', date '2024-03-01', 105.0, 85.0, 125.0),
            ('calm', date '2024-04-01', 109.0, 89.0, 129.0),
            ('calm', date '2024-05-01', 110.0, 90.0, 130.0),
            ('calm', date '2024-06-01', 114.0, 94.0, 134.0),
            ('calm', date '2024-07-01', 116.0, 96.0, 136.0),
            ('calm', date '2024-08-01', 119.0, 99.0, 139.0),
            ('gappy', date '2024-01-01', 50.0, 45.0, 55.0),
            ('gappy', date '2024-02-01', 52.0, 47.0, 57.0),
            ('gappy', date '2024-03-01', null, null, null),
            ('gappy', date '2024-04-01', 55.0, 50.0, 60.0),
            ('gappy', date '2024-05-01', 57.0, 52.0, 62.0),
            ('gappy', date '2024-06-01', null, null, null),
            ('gappy', date '2024-07-01', 61.0, 56.0, 66.0),
            ('gappy', date '2024-08-01', 62.0, 57.0, 67.0),
            ('sparse', date '2024-01-01', 50.0, 45.0, 55.0),
            ('sparse', date '2024-02-01', null, null, null),
            ('sparse', date '2024-03-01', null, null, null),
            ('sparse', date '2024-04-01', 55.0, 50.0, 60.0),
            ('sparse', date '2024-05-01', 57.0, 52.0, 62.0),
            ('sparse', date '2024-06-01', null, null, null),
            ('sparse', date '2024-07-01', 61.0, 56.0, 66.0),
            ('sparse', date '2024-08-01', 62.0, 57.0, 67.0)
    ) as points (area_code, period_month, indicator_value, lower_ci, upper_ci)
),

computed as (
    {{ recent_trend(
        'trend_points',
        partition_by=['area_code'],
        order_by='period_month',
        value='indicator_value',
        lower='lower_ci',
        upper='upper_ci',
        points=8,
        min_points=6,
        overdispersion=true
    ) }}
),

expected as (
    select *
    from (
        values
            ('runs', 8, 4.261904761904793, 5.510393046107321, 3.2962861355921125, 8.890538148433441, 'no_significant_change'),
            ('calm', 8, 2.6904761904762227, 2.4792168726381454, 2.9197373619907467, 1.0, 'no_significant_change'),
            ('gappy', 6, 1.746666666666668, 0.17354518108467049, 17.579539952515194, 1.0, 'increasing'),
            ('sparse', 5, null, null, null, null, 'not_enough_data')
    ) as expected (
        area_code, expected_n_points, expected_slope, expected_slope_variance,
        expected_chi_squared, expected_dispersion, expected_direction
    )
),

checked as (
    select
        *,
        true as is_expected
    from expected
)

select *
from checked
full outer join computed using (area_code)
where is_expected is null
    or n_points is null
    or n_points <> expected_n_points
    or {{ statistics_differs('slope', 'expected_slope') }}
    or {{ statistics_differs('slope_variance', 'expected_slope_variance') }}
    or {{ statistics_differs('chi_squared', 'expected_chi_squared') }}
    or {{ statistics_differs('dispersion', 'expected_dispersion') }}
    or direction is distinct from expected_direction
