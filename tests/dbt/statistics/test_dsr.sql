-- Directly standardised rates against ESP 2013 with Dobson limits (dsr_value /
-- dsr_lower / dsr_upper, aggregates over age bands); returns the series whose rate or
-- limits disagree beyond 6 significant figures.
--
-- Expected values: an independent numpy implementation of PHEindicatormethods phe_dsr
-- (R/DSR.R: value = sum(x * stdpop / n) / sum(stdpop) * multiplier,
-- vardsr = sum(stdpop^2 * x / n^2) / sum(stdpop)^2,
-- limit = value + sqrt(vardsr / sum(x)) * (byars(sum(x)) - sum(x)) * multiplier,
-- z = scipy.stats.norm.ppf), 15 significant figures. ESP 2013: the 19 five-year bands
-- 0-4 .. 90+ of the European Standard Population 2013 (Eurostat 2013; the esp2013 vector
-- shipped with PHEindicatormethods). Populations and counts are made up.
--   a_large            798 events: published
--   b_exactly_10       10 events: the smallest total that is published
--   c_nine             9 events: not published (null)
--   d_missing_band     a_large with a null count in band 0-4 (where a_large has 0):
--                      a missing count counts as 0 (phe_dsr na.zero), same result
--   e_zero_population  a_large with population 0 in band 90+: null, not infinity

with bands as (
    select *
    from (
        values
            (1, '0-4', 5000, 5200),
            (2, '5-9', 5500, 5400),
            (3, '10-14', 5500, 5100),
            (4, '15-19', 5500, 4900),
            (5, '20-24', 6000, 5600),
            (6, '25-29', 6000, 6900),
            (7, '30-34', 6500, 7300),
            (8, '35-39', 7000, 7100),
            (9, '40-44', 7000, 6600),
            (10, '45-49', 7000, 6400),
            (11, '50-54', 7000, 6500),
            (12, '55-59', 6500, 6200),
            (13, '60-64', 6000, 5500),
            (14, '65-69', 5500, 4800),
            (15, '70-74', 5000, 4300),
            (16, '75-79', 4000, 3400),
            (17, '80-84', 2500, 2400),
            (18, '85-89', 1500, 1500),
            (19, '90+', 1000, 800)
    ) as esp2013 (band_number, age_band, standard_population, population)
),

band_counts as (
    select *
    from (
        values
            ('a_large', 1, 0), ('a_large', 2, 1), ('a_large', 3, 0), ('a_large', 4, 1), ('a_large', 5, 2),
            ('a_large', 6, 3), ('a_large', 7, 4), ('a_large', 8, 6), ('a_large', 9, 9), ('a_large', 10, 14),
            ('a_large', 11, 22), ('a_large', 12, 31), ('a_large', 13, 45), ('a_large', 14, 62), ('a_large', 15, 88),
            ('a_large', 16, 110), ('a_large', 17, 129), ('a_large', 18, 140), ('a_large', 19, 131),
            ('b_exactly_10', 1, 0), ('b_exactly_10', 2, 0), ('b_exactly_10', 3, 0), ('b_exactly_10', 4, 0), ('b_exactly_10', 5, 0),
            ('b_exactly_10', 6, 0), ('b_exactly_10', 7, 0), ('b_exactly_10', 8, 0), ('b_exactly_10', 9, 1), ('b_exactly_10', 10, 0),
            ('b_exactly_10', 11, 1), ('b_exactly_10', 12, 1), ('b_exactly_10', 13, 0), ('b_exactly_10', 14, 2), ('b_exactly_10', 15, 1),
            ('b_exactly_10', 16, 2), ('b_exactly_10', 17, 1), ('b_exactly_10', 18, 1), ('b_exactly_10', 19, 0),
            ('c_nine', 1, 0), ('c_nine', 2, 0), ('c_nine', 3, 0), ('c_nine', 4, 0), ('c_nine', 5, 0),
            ('c_nine', 6, 0), ('c_nine', 7, 0), ('c_nine', 8, 0), ('c_nine', 9, 1), ('c_nine', 10, 0),
            ('c_nine', 11, 1), ('c_nine', 12, 1), ('c_nine', 13, 0), ('c_nine', 14, 2), ('c_nine', 15, 1),
            ('c_nine', 16, 2), ('c_nine', 17, 1), ('c_nine', 18, 0), ('c_nine', 19, 0),
            ('d_missing_band', 1, null), ('d_missing_band', 2, 1), ('d_missing_band', 3, 0), ('d_missing_band', 4, 1), ('d_missing_band', 5, 2),
            ('d_missing_band', 6, 3), ('d_missing_band', 7, 4), ('d_missing_band', 8, 6), ('d_missing_band', 9, 9), ('d_missing_band', 10, 14),
            ('d_missing_band', 11, 22), ('d_missing_band', 12, 31), ('d_missing_band', 13, 45), ('d_missing_band', 14, 62), ('d_missing_band', 15, 88),
            ('d_missing_band', 16, 110), ('d_missing_band', 17, 129), ('d_missing_band', 18, 140), ('d_missing_band', 19, 131),
            ('e_zero_population', 1, 0), ('e_zero_population', 2, 1), ('e_zero_population', 3, 0), ('e_zero_population', 4, 1), ('e_zero_population', 5, 2),
            ('e_zero_population', 6, 3), ('e_zero_population', 7, 4), ('e_zero_population', 8, 6), ('e_zero_population', 9, 9), ('e_zero_population', 10, 14),
            ('e_zero_population', 11, 22), ('e_zero_population', 12, 31), ('e_zero_population', 13, 45), ('e_zero_population', 14, 62), ('e_zero_population', 15, 88),
            ('e_zero_population', 16, 110), ('e_zero_population', 17, 129), ('e_zero_population', 18, 140), ('e_zero_population', 19, 131)
    ) as counts (series_id, band_number, event_count)
),

by_band as (
    select
        band_counts.series_id,
        band_counts.event_count,
        bands.standard_population,
        case
            when band_counts.series_id = 'e_zero_population' and bands.age_band = '90+' then 0
            else bands.population
        end as population
    from band_counts
    inner join bands
        on band_counts.band_number = bands.band_number
),

computed as (
    select
        series_id,
        true as is_computed,
        {{ dsr_value('event_count', 'population', 'standard_population') }} as actual_value,
        {{ dsr_lower('event_count', 'population', 'standard_population') }} as actual_lower_95,
        {{ dsr_upper('event_count', 'population', 'standard_population') }} as actual_upper_95,
        {{ dsr_lower('event_count', 'population', 'standard_population', confidence=0.998) }} as actual_lower_998,
        {{ dsr_upper('event_count', 'population', 'standard_population', confidence=99.8) }} as actual_upper_998,
        -- the multiplier scales value and limits alike (per 1,000 here)
        {{ dsr_value('event_count', 'population', 'standard_population', multiplier=1000) }} * 100 as actual_value_from_1000,
        {{ dsr_lower('event_count', 'population', 'standard_population', 1000) }} * 100 as actual_lower_95_from_1000,
        {{ dsr_upper('event_count', 'population', 'standard_population', 1000, 0.95) }} * 100 as actual_upper_95_from_1000
    from by_band
    group by series_id
),

expected as (
    select *
    from (
        values
            ('a_large', 887.414841183073, 826.709927386272, 951.387061977401, 793.190031053967, 989.173978544823),
            ('b_exactly_10', 11.0349814417817, 5.27400519193169, 20.3093275739948, 3.20600696070597, 26.7220656629067),
            ('c_nine', null, null, null, null, null),
            ('d_missing_band', 887.414841183073, 826.709927386272, 951.387061977401, 793.190031053967, 989.173978544823),
            ('e_zero_population', null, null, null, null, null)
    ) as expected (series_id, expected_value, expected_lower_95, expected_upper_95, expected_lower_998, expected_upper_998)
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
full outer join computed using (series_id)
where is_expected is null
    or is_computed is null
    or {{ statistics_differs('actual_value', 'expected_value') }}
    or {{ statistics_differs('actual_lower_95', 'expected_lower_95') }}
    or {{ statistics_differs('actual_upper_95', 'expected_upper_95') }}
    or {{ statistics_differs('actual_lower_998', 'expected_lower_998') }}
    or {{ statistics_differs('actual_upper_998', 'expected_upper_998') }}
    or {{ statistics_differs('actual_value_from_1000', 'expected_value') }}
    or {{ statistics_differs('actual_lower_95_from_1000', 'expected_lower_95') }}
    or {{ statistics_differs('actual_upper_95_from_1000', 'expected_upper_95') }}
