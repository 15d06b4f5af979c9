-- Confidence limits for a count (byars_lower / byars_upper: exact Poisson below 10
-- events, Byars from 10) and crude rates built on them (crude_rate_value / _lower /
-- _upper); returns the cases that disagree beyond 6 significant figures.
--
-- Sources of the expected values (computed independently in Python, 15 significant
-- figures, scipy 1.17):
--   exact   count < 10: scipy.stats.chi2.ppf(a/2, 2*O)/2 (0 for O = 0) and
--           chi2.ppf(1 - a/2, 2*(O + 1))/2, a = 1 - confidence. They agree with the
--           rounded limits printed in exact Poisson tables (95%: O=1 0.0253-5.572,
--           O=9 4.115-17.08) and with the closed forms -ln(0.975), -ln(0.025) for O=0,1.
--   byars   count >= 10: PHEindicatormethods' formula with z = scipy.stats.norm.ppf;
--           65 and 1045 are the inputs of PHEindicatormethods' own tests
--           (documented examples byars_lower(65), byars_upper(65, 99.8)).
--   Exactly 10 events is Byars (phe_rate: exact only when count < 10).

with count_cases as (
    select *
    from (
        values
            (0, 0.95, 0, 3.68887945411394),
            (0, 0.998, 0, 6.90775527898214),
            (1, 0.95, 0.0253178079842899, 5.5716433909389),
            (1, 0.998, 0.00100050033358353, 9.23341347645158),
            (2, 0.95, 0.242209278543965, 7.22468766772396),
            (2, 0.998, 0.0454020177694896, 11.2288722424127),
            (3, 0.95, 0.618672122895601, 8.76727306974232),
            (3, 0.998, 0.190533377568403, 13.0622407791881),
            (4, 0.95, 1.08986537362633, 10.2415886754037),
            (4, 0.998, 0.428552413628423, 14.7941492225372),
            (5, 0.95, 1.62348639011842, 11.6683320793227),
            (5, 0.998, 0.739371731917833, 16.4547452036801),
            (6, 0.95, 2.20189425349085, 13.0594740225187),
            (6, 0.998, 1.10710466025564, 18.0616368401991),
            (7, 0.95, 2.81436305151987, 14.4226753617024),
            (7, 0.998, 1.52033626039881, 19.6261773953842),
            (8, 0.95, 3.4538321767485, 15.7631892201933),
            (8, 0.998, 1.97081392174037, 21.15619816584),
            (9, 0.95, 4.11537309737833, 17.0848034514192),
            (9, 0.998, 2.45242440436378, 22.6573733090629),
            (10, 0.95, 4.78744991396756, 18.3914586057565),
            (10, 0.998, 2.91631837469569, 24.1937249278805),
            (11, 0.95, 5.48369019844997, 19.6832371161464),
            (11, 0.998, 3.44837023840088, 25.6465205165574),
            (65, 0.95, 50.1631877104594, 82.8491385459398),
            (65, 0.998, 42.8802614714802, 94.000290844318),
            (1045, 0.95, 982.593201807333, 1110.33121298565),
            (1045, 0.998, 947.940703561037, 1148.80616098803),
            -- not a count: negative, or fractional below 10 (no exact limit tabulated)
            (-1, 0.95, null, null),
            (2.5, 0.95, null, null)
    ) as expected (event_count, confidence, expected_lower, expected_upper)
),

count_computed as (
    select
        'count' as check_name,
        event_count,
        cast(null as integer) as denominator,
        confidence,
        expected_lower,
        expected_upper,
        cast(null as double precision) as expected_value,
        case
            when confidence = 0.95 then {{ byars_lower('event_count') }}
            else {{ byars_lower('event_count', 0.998) }}
        end as actual_lower,
        case
            when confidence = 0.95 then {{ byars_upper('event_count') }}
            else {{ byars_upper('event_count', 99.8) }}
        end as actual_upper,
        cast(null as double precision) as actual_value
    from count_cases
),

-- crude rate = count / denominator * multiplier, limits = the count's limits scaled
rate_cases as (
    select *
    from (
        values
            (7, 2500, 1000, 2.8, 1.12574522060795, 5.76907014468095),
            (0, 1000, 1000, 0, 0, 3.68887945411394),
            (10, 40000, 100000, 25, 11.9686247849189, 45.9786465143912),
            (65, 14000, 100000, 464.285714285714, 358.308483646139, 591.779561042427),
            -- no denominator, no rate
            (5, 0, 1000, null, null, null)
    ) as expected (event_count, denominator, multiplier, expected_value, expected_lower, expected_upper)
),

rate_computed as (
    select
        'crude_rate' as check_name,
        event_count,
        denominator,
        0.95 as confidence,
        expected_lower,
        expected_upper,
        expected_value,
        case
            when multiplier = 1000 then {{ crude_rate_lower('event_count', 'denominator', 1000) }}
            else {{ crude_rate_lower('event_count', 'denominator') }}
        end as actual_lower,
        case
            when multiplier = 1000 then {{ crude_rate_upper('event_count', 'denominator', 1000) }}
            else {{ crude_rate_upper('event_count', 'denominator', multiplier=100000, confidence=0.95) }}
        end as actual_upper,
        case
            when multiplier = 1000 then {{ crude_rate_value('event_count', 'denominator', 1000) }}
            else {{ crude_rate_value('event_count', 'denominator') }}
        end as actual_value
    from rate_cases
),

computed as (
    select * from count_computed
    union all
    select * from rate_computed
)

select *
from computed
where {{ statistics_differs('actual_lower', 'expected_lower') }}
    or {{ statistics_differs('actual_upper', 'expected_upper') }}
    or {{ statistics_differs('actual_value', 'expected_value') }}
