-- The recent-trend test with a season per calendar month (recent_trend with points=24,
-- min_points=12, overdispersion=true and season = the month of the year, as
-- fct_indicator_trends runs it on 24 single months); returns the series whose fit
-- disagrees with the expected one.
--
-- The series run from November to October with a winter peak (1000 x (1 + 0.1 cos(2 pi
-- (month - 1) / 12)), intervals +-20), as monthly counts of emergency care do.
-- Expected values: an independent numpy fit with one dummy per calendar month
-- (beta = (X'WX)^-1 X'Wy, X = [x, month dummies], x = 1..24 by position,
-- W = diag(1 / (20 / norm.ppf(0.975))^2)), dispersion phi = r'Wr / (n - rank X) floored
-- at 1, var(slope) = phi (X'WX)^-1[0,0], leave-one-out by refitting.
--   winter  season and small noise, no trend: slope -0.06, no significant change (a
--           straight line through the same months gives -3.95 per month)
--   rising  the same plus 1.5 a month: increasing, chi-squared 17.1 (a straight line
--           gives -2.45 a month: the wrong sign, hidden by a dispersion of 45)
--   gappy   rising with four times the noise and four months missing, each leaving its
--           calendar month with one point: 20 points, 12 seasons, so phi = r'Wr / 7 =
--           2.87 and no significant change

with trend_points as (
    select *
    from (
        values
            ('winter', date '2024-11-01', 1053.0, 1033.0, 1073.0),
            ('winter', date '2024-12-01', 1081.6, 1061.6, 1101.6),
            ('winter', date '2025-01-01', 1108.0, 1088.0, 1128.0),
            ('winter', date '2025-02-01', 1084.6, 1064.6, 1104.6),
            ('winter', date '2025-03-01', 1056.0, 1036.0, 1076.0),
            ('winter', date '2025-04-01', 993.0, 973.0, 1013.0),
            ('winter', date '2025-05-01', 951.0, 931.0, 971.0),
            ('winter', date '2025-06-01', 917.4, 897.4, 937.4),
            ('winter', date '2025-07-01', 894.0, 874.0, 914.0),
            ('winter', date '2025-08-01', 915.4, 895.4, 935.4),
            ('winter', date '2025-09-01', 947.0, 927.0, 967.0),
            ('winter', date '2025-10-01', 1005.0, 985.0, 1025.0),
            ('winter', date '2025-11-01', 1046.0, 1026.0, 1066.0),
            ('winter', date '2025-12-01', 1093.6, 1073.6, 1113.6),
            ('winter', date '2026-01-01', 1099.0, 1079.0, 1119.0),
            ('winter', date '2026-02-01', 1078.6, 1058.6, 1098.6),
            ('winter', date '2026-03-01', 1052.0, 1032.0, 1072.0),
            ('winter', date '2026-04-01', 1006.0, 986.0, 1026.0),
            ('winter', date '2026-05-01', 945.0, 925.0, 965.0),
            ('winter', date '2026-06-01', 916.4, 896.4, 936.4),
            ('winter', date '2026-07-01', 898.0, 878.0, 918.0),
            ('winter', date '2026-08-01', 917.4, 897.4, 937.4),
            ('winter', date '2026-09-01', 944.0, 924.0, 964.0),
            ('winter', date '2026-10-01', 1001.0, 981.0, 1021.0),
            ('rising', date '2024-11-01', 1053.0, 1033.0, 1073.0),
            ('rising', date '2024-12-01', 1083.1, 1063.1, 1103.1),
            ('rising', date '2025-01-01', 1111.0, 1091.0, 1131.0),
            ('rising', date '2025-02-01', 1089.1, 1069.1, 1109.1),
            ('rising', date '2025-03-01', 1062.0, 1042.0, 1082.0),
            ('rising', date '2025-04-01', 1000.5, 980.5, 1020.5),
            ('rising', date '2025-05-01', 960.0, 940.0, 980.0),
            ('rising', date '2025-06-01', 927.9, 907.9, 947.9),
            ('rising', date '2025-07-01', 906.0, 886.0, 926.0),
            ('rising', date '2025-08-01', 928.9, 908.9, 948.9),
            ('rising', date '2025-09-01', 962.0, 942.0, 982.0),
            ('rising', date '2025-10-01', 1021.5, 1001.5, 1041.5),
            ('rising', date '2025-11-01', 1064.0, 1044.0, 1084.0),
            ('rising', date '2025-12-01', 1113.1, 1093.1, 1133.1),
            ('rising', date '2026-01-01', 1120.0, 1100.0, 1140.0),
            ('rising', date '2026-02-01', 1101.1, 1081.1, 1121.1),
            ('rising', date '2026-03-01', 1076.0, 1056.0, 1096.0),
            ('rising', date '2026-04-01', 1031.5, 1011.5, 1051.5),
            ('rising', date '2026-05-01', 972.0, 952.0, 992.0),
            ('rising', date '2026-06-01', 944.9, 924.9, 964.9),
            ('rising', date '2026-07-01', 928.0, 908.0, 948.0),
            ('rising', date '2026-08-01', 948.9, 928.9, 968.9),
            ('rising', date '2026-09-01', 977.0, 957.0, 997.0),
            ('rising', date '2026-10-01', 1035.5, 1015.5, 1055.5),
            ('gappy', date '2024-11-01', 1062.0, 1042.0, 1082.0),
            ('gappy', date '2024-12-01', 1068.1, 1048.1, 1088.1),
            ('gappy', date '2025-01-01', null, null, null),
            ('gappy', date '2025-02-01', 1083.1, 1063.1, 1103.1),
            ('gappy', date '2025-03-01', 1080.0, 1060.0, 1100.0),
            ('gappy', date '2025-04-01', null, null, null),
            ('gappy', date '2025-05-01', 963.0, 943.0, 983.0),
            ('gappy', date '2025-06-01', 939.9, 919.9, 959.9),
            ('gappy', date '2025-07-01', 888.0, 868.0, 908.0),
            ('gappy', date '2025-08-01', null, null, null),
            ('gappy', date '2025-09-01', 953.0, 933.0, 973.0),
            ('gappy', date '2025-10-01', 1036.5, 1016.5, 1056.5),
            ('gappy', date '2025-11-01', 1052.0, 1032.0, 1072.0),
            ('gappy', date '2025-12-01', 1134.1, 1114.1, 1154.1),
            ('gappy', date '2026-01-01', 1117.0, 1097.0, 1137.0),
            ('gappy', date '2026-02-01', 1077.1, 1057.1, 1097.1),
            ('gappy', date '2026-03-01', 1082.0, 1062.0, 1102.0),
            ('gappy', date '2026-04-01', 1049.5, 1029.5, 1069.5),
            ('gappy', date '2026-05-01', 957.0, 937.0, 977.0),
            ('gappy', date '2026-06-01', 953.9, 933.9, 973.9),
            ('gappy', date '2026-07-01', null, null, null),
            ('gappy', date '2026-08-01', 960.9, 940.9, 980.9),
            ('gappy', date '2026-09-01', 959.0, 939.0, 979.0),
            ('gappy', date '2026-10-01', 1038.5, 1018.5, 1058.5)
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
        points=24,
        min_points=12,
        overdispersion=true,
        season='extract(month from period_month)'
    ) }}
),

expected as (
    select *
    from (
        values
            ('winter', 24, -0.06250000000002515, 0.12051748686435447, 0.03241230879963277, 1.0, 'no_significant_change'),
            ('rising', 24, 1.4374999999999782, 0.12051748686435447, 17.14611135499142, 1.0, 'increasing'),
            ('gappy', 20, 0.7083333333332746, 0.5195932539682527, 0.9656324582337326, 2.874234367626497, 'no_significant_change')
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
