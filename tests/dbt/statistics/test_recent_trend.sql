-- The recent-trend test (recent_trend, trend_judgement) on monthly series; returns the
-- series whose fit or reading disagrees with the expected one.
--
-- Expected values: an independent numpy fit (matrix weighted least squares,
-- beta = (X'WX)^-1 X'Wy and var(slope) = (X'WX)^-1[1,1], with x = 1..5 rather than the
-- macro's centred -2..2, W = diag(1 / ((upper - lower) / (2 * norm.ppf(0.975)))^2)),
-- leave-one-out by refitting the four remaining points; threshold
-- scipy.stats.chi2.ppf(0.998, 1) = 9.5495; slope and chi-squared to 15 significant
-- figures. Series (indicator A unless noted):
--   inc      steady rise, narrow intervals: increasing; high is good -> improving
--   dec      fall with asymmetric intervals: decreasing; low is good -> improving
--   flat     noise around 40: no significant change
--   four     four points only: not enough data
--   flip     chi-squared 41 (significant), but dropping the last, very precise point
--            turns the slope negative: no significant change
--   seven    seven points; the two oldest are far higher but only the last five count:
--            increasing; low is good -> worsening
--   gap      a point with no interval among the last five: not enough data
--   weak     rising but chi-squared 3.0 (significant at 95%, not at 99.8%)
--   B/inc    the dec series with no judgement -> decreasing (same area code as A/inc:
--            partitions are indicator and area together)
--   C/dec    the inc series, low is good -> worsening
--   D/dec    the dec series, high is good -> worsening

with trend_points as (
    select *
    from (
        values
            ('A', 'inc', date '2024-01-01', 52.3, 50.8, 53.8, 'high_is_good'),
            ('A', 'inc', date '2024-02-01', 53.7, 52.2, 55.2, 'high_is_good'),
            ('A', 'inc', date '2024-03-01', 56.3, 54.8, 57.8, 'high_is_good'),
            ('A', 'inc', date '2024-04-01', 57.7, 56.2, 59.2, 'high_is_good'),
            ('A', 'inc', date '2024-05-01', 60.3, 58.8, 61.8, 'high_is_good'),
            ('A', 'dec', date '2024-01-01', 30.0, 27.1, 33.2, 'low_is_good'),
            ('A', 'dec', date '2024-02-01', 28.4, 25.6, 31.5, 'low_is_good'),
            ('A', 'dec', date '2024-03-01', 26.1, 23.4, 29.0, 'low_is_good'),
            ('A', 'dec', date '2024-04-01', 25.0, 22.3, 27.9, 'low_is_good'),
            ('A', 'dec', date '2024-05-01', 22.2, 19.7, 25.0, 'low_is_good'),
            ('A', 'flat', date '2024-01-01', 40.0, 36.0, 44.0, 'high_is_good'),
            ('A', 'flat', date '2024-02-01', 42.5, 38.5, 46.5, 'high_is_good'),
            ('A', 'flat', date '2024-03-01', 39.1, 35.1, 43.1, 'high_is_good'),
            ('A', 'flat', date '2024-04-01', 41.8, 37.8, 45.8, 'high_is_good'),
            ('A', 'flat', date '2024-05-01', 40.6, 36.6, 44.6, 'high_is_good'),
            ('A', 'four', date '2024-01-01', 53.0, 52.0, 54.0, 'low_is_good'),
            ('A', 'four', date '2024-02-01', 56.0, 55.0, 57.0, 'low_is_good'),
            ('A', 'four', date '2024-03-01', 59.0, 58.0, 60.0, 'low_is_good'),
            ('A', 'four', date '2024-04-01', 62.0, 61.0, 63.0, 'low_is_good'),
            ('A', 'flip', date '2024-01-01', 20.6, 18.6, 22.6, 'high_is_good'),
            ('A', 'flip', date '2024-02-01', 20.4, 18.4, 22.4, 'high_is_good'),
            ('A', 'flip', date '2024-03-01', 20.2, 18.2, 22.2, 'high_is_good'),
            ('A', 'flip', date '2024-04-01', 20.0, 18.0, 22.0, 'high_is_good'),
            ('A', 'flip', date '2024-05-01', 24.0, 23.9, 24.1, 'high_is_good'),
            ('A', 'seven', date '2024-01-01', 90.0, 89.0, 91.0, 'low_is_good'),
            ('A', 'seven', date '2024-02-01', 95.0, 94.0, 96.0, 'low_is_good'),
            ('A', 'seven', date '2024-03-01', 52.0, 50.5, 53.5, 'low_is_good'),
            ('A', 'seven', date '2024-04-01', 54.0, 52.5, 55.5, 'low_is_good'),
            ('A', 'seven', date '2024-05-01', 56.0, 54.5, 57.5, 'low_is_good'),
            ('A', 'seven', date '2024-06-01', 58.0, 56.5, 59.5, 'low_is_good'),
            ('A', 'seven', date '2024-07-01', 60.0, 58.5, 61.5, 'low_is_good'),
            ('A', 'gap', date '2024-01-01', 52.0, 50.5, 53.5, 'high_is_good'),
            ('A', 'gap', date '2024-02-01', 54.0, 52.5, 55.5, 'high_is_good'),
            ('A', 'gap', date '2024-03-01', 56.0, null, null, 'high_is_good'),
            ('A', 'gap', date '2024-04-01', 58.0, 56.5, 59.5, 'high_is_good'),
            ('A', 'gap', date '2024-05-01', 60.0, 58.5, 61.5, 'high_is_good'),
            ('A', 'weak', date '2024-01-01', 40.0, 35.0, 45.0, 'no_judgement'),
            ('A', 'weak', date '2024-02-01', 41.0, 36.0, 46.0, 'no_judgement'),
            ('A', 'weak', date '2024-03-01', 44.0, 39.0, 49.0, 'no_judgement'),
            ('A', 'weak', date '2024-04-01', 43.0, 38.0, 48.0, 'no_judgement'),
            ('A', 'weak', date '2024-05-01', 46.0, 41.0, 51.0, 'no_judgement'),
            ('B', 'inc', date '2024-01-01', 30.0, 27.1, 33.2, 'no_judgement'),
            ('B', 'inc', date '2024-02-01', 28.4, 25.6, 31.5, 'no_judgement'),
            ('B', 'inc', date '2024-03-01', 26.1, 23.4, 29.0, 'no_judgement'),
            ('B', 'inc', date '2024-04-01', 25.0, 22.3, 27.9, 'no_judgement'),
            ('B', 'inc', date '2024-05-01', 22.2, 19.7, 25.0, 'no_judgement'),
            ('C', 'dec', date '2024-01-01', 52.3, 50.8, 53.8, 'low_is_good'),
            ('C', 'dec', date '2024-02-01', 53.7, 52.2, 55.2, 'low_is_good'),
            ('C', 'dec', date '2024-03-01', 56.3, 54.8, 57.8, 'low_is_good'),
            ('C', 'dec', date '2024-04-01', 57.7, 56.2, 59.2, 'low_is_good'),
            ('C', 'dec', date '2024-05-01', 60.3, 58.8, 61.8, 'low_is_good'),
            ('D', 'dec', date '2024-01-01', 30.0, 27.1, 33.2, 'high_is_good'),
            ('D', 'dec', date '2024-02-01', 28.4, 25.6, 31.5, 'high_is_good'),
            ('D', 'dec', date '2024-03-01', 26.1, 23.4, 29.0, 'high_is_good'),
            ('D', 'dec', date '2024-04-01', 25.0, 22.3, 27.9, 'high_is_good'),
            ('D', 'dec', date '2024-05-01', 22.2, 19.7, 25.0, 'high_is_good')
    ) as points (indicator_id, area_code, period_month, indicator_value, lower_ci, upper_ci, polarity)
),

computed as (
    {{ recent_trend(
        'trend_points',
        partition_by=['indicator_id', 'area_code'],
        order_by='period_month',
        value='indicator_value',
        lower='lower_ci',
        upper='upper_ci',
        polarity='polarity'
    ) }}
),

expected as (
    select *
    from (
        values
            ('A', 'inc', 5, date '2024-01-01', date '2024-05-01', 2, 0.0585714986160763, 68.2926012567844, 'increasing', 'improving'),
            ('A', 'dec', 5, date '2024-01-01', date '2024-05-01', -1.91065895225826, 0.21145384439051, 17.2643710610564, 'decreasing', 'improving'),
            ('A', 'flat', 5, date '2024-01-01', date '2024-05-01', 0.0499999999999967, 0.416508434603209, 0.00600227940733378, 'no_significant_change', 'no_significant_change'),
            ('A', 'four', 4, date '2024-01-01', date '2024-04-01', null, null, null, 'not_enough_data', 'not_enough_data'),
            ('A', 'flip', 5, date '2024-01-01', date '2024-05-01', 1.19767054908486, 0.0349977969175731, 40.9858582676951, 'no_significant_change', 'no_significant_change'),
            ('A', 'seven', 5, date '2024-03-01', date '2024-07-01', 2, 0.0585714986160763, 68.2926012567842, 'increasing', 'worsening'),
            ('A', 'gap', 4, date '2024-01-01', date '2024-05-01', null, null, null, 'not_enough_data', 'not_enough_data'),
            ('A', 'weak', 5, date '2024-01-01', date '2024-05-01', 1.4, 0.650794429067515, 3.01170371542419, 'no_significant_change', 'no_significant_change'),
            ('B', 'inc', 5, date '2024-01-01', date '2024-05-01', -1.91065895225826, 0.21145384439051, 17.2643710610564, 'decreasing', 'decreasing'),
            ('C', 'dec', 5, date '2024-01-01', date '2024-05-01', 2, 0.0585714986160763, 68.2926012567844, 'increasing', 'worsening'),
            ('D', 'dec', 5, date '2024-01-01', date '2024-05-01', -1.91065895225826, 0.21145384439051, 17.2643710610564, 'decreasing', 'worsening')
    ) as expected (
        indicator_id, area_code, expected_n_points, expected_first_period, expected_last_period,
        expected_slope, expected_slope_variance, expected_chi_squared, expected_direction, expected_trend
    )
),

checked as (
    select
        *,
        true as is_expected
    from expected
)

-- a series on one side only is a failure too
select *
from checked
full outer join computed using (indicator_id, area_code)
where is_expected is null
    or n_points is null
    or n_points <> expected_n_points
    or first_period <> expected_first_period
    or last_period <> expected_last_period
    or {{ statistics_differs('slope', 'expected_slope') }}
    or {{ statistics_differs('slope_variance', 'expected_slope_variance') }}
    or {{ statistics_differs('chi_squared', 'expected_chi_squared') }}
    or direction is distinct from expected_direction
    or trend is distinct from expected_trend
