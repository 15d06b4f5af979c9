-- Overdispersion-adjusted funnels (funnel_z, funnel_standard_error, funnel_dispersion,
-- funnel_lower / funnel_upper, funnel_position); returns the checks that disagree.
--
-- Sources:
--   fpr_sr     inputs of FunnelPlotR's own package test (tests/testthat/test-funnel_plot.R:
--              observed 100, 150, 180, 80, 120, 225 over expected 108, 112, 165, 95, 100,
--              220), as a ratio (data_type "SR", sr_method "CQC": square-root scale) with
--              10% Winsorisation. That test asserts no numbers and no published phi or
--              tau2 was found for any data set, so the expected values come from an
--              independent numpy transcription of FunnelPlotR's transformed_zscore(),
--              winsorisation() (numpy quantile 'linear' = R quantile type 7), phi_func()
--              and tau_func(), with limits r (1 -/+ z sqrt(s^2 + tau2))^2 and
--              z = scipy.stats.norm.ppf; 15 significant figures, compared to 6.
--   pr7        seven units, proportions (data_type "PR"), target the pooled proportion
--              as FunnelPlotR takes it; same transcription, limits
--              sin^2(asin(sqrt(t)) -/+ z sqrt(s^2 + tau2)). Strongly overdispersed.
--   pr_flat    seven units of 1,000 with proportions 0.198..0.205: k phi < k - 1, so
--              tau2 = 0 and the limits are not adjusted.
--   edge       limits that would fold back: held at 0 (rate, proportion) and 1.

with units as (
    select *
    from (
        values
            ('fpr_sr', 'rate', 1, 100.0, 108.0, 1.0, -0.7846096908265279),
            ('fpr_sr', 'rate', 2, 150.0, 112.0, 1.0, 3.328886939315058),
            ('fpr_sr', 'rate', 3, 180.0, 165.0, 1.0, 1.1423505726672176),
            ('fpr_sr', 'rate', 4, 80.0, 95.0, 1.0, -1.6050448696196098),
            ('fpr_sr', 'rate', 5, 120.0, 100.0, 1.0, 1.908902300206643),
            ('fpr_sr', 'rate', 6, 225.0, 220.0, 1.0, 0.33520605161734773),
            ('pr7', 'proportion', 1, 412.0, 2100.0, 0.19301972685887708, 0.3670229674023392),
            ('pr7', 'proportion', 2, 268.0, 1650.0, 0.19301972685887708, -3.253744653977165),
            ('pr7', 'proportion', 3, 530.0, 2480.0, 0.19301972685887708, 2.5606108345705474),
            ('pr7', 'proportion', 4, 190.0, 1420.0, 0.19301972685887708, -6.058032228605178),
            ('pr7', 'proportion', 5, 301.0, 1290.0, 0.19301972685887708, 3.5389378177622737),
            ('pr7', 'proportion', 6, 455.0, 2230.0, 0.19301972685887708, 1.3042617023518452),
            ('pr7', 'proportion', 7, 388.0, 2010.0, 0.19301972685887708, 0.0017151724149284313),
            ('pr_flat', 'proportion', 1, 200.0, 1000.0, 0.20114285714285715, null),
            ('pr_flat', 'proportion', 2, 205.0, 1000.0, 0.20114285714285715, null),
            ('pr_flat', 'proportion', 3, 198.0, 1000.0, 0.20114285714285715, null),
            ('pr_flat', 'proportion', 4, 202.0, 1000.0, 0.20114285714285715, null),
            ('pr_flat', 'proportion', 5, 199.0, 1000.0, 0.20114285714285715, null),
            ('pr_flat', 'proportion', 6, 201.0, 1000.0, 0.20114285714285715, null),
            ('pr_flat', 'proportion', 7, 203.0, 1000.0, 0.20114285714285715, null)
    ) as given (case_id, data_type, unit, numerator, denominator, target, expected_z)
),

scored as (
    select
        units.*,
        case data_type
            when 'proportion' then {{ funnel_z('proportion', 'numerator', 'denominator', 'target') }}
            else {{ funnel_z('rate', 'numerator', 'denominator', 'target') }}
        end as z,
        case data_type
            when 'proportion' then {{ funnel_standard_error('proportion', 'denominator', 'target') }}
            else {{ funnel_standard_error('rate', 'denominator', 'target') }}
        end as standard_error
    from units
),

dispersion as (
    {{ funnel_dispersion('scored', partition_by='case_id') }}
),

expected_dispersion as (
    select *
    from (
        values
            ('fpr_sr', 6, 2.327178257594119, 0.0034397801541862735, true),
            ('pr7', 7, 6.691142332438412, 0.0009108219925928141, true),
            ('pr_flat', 7, 0.021008011027709106, 0.0, false)
    ) as expected (case_id, n_units, phi, tau2, is_overdispersion_adjusted)
),

limits as (
    select *
    from (
        values
            ('fpr_sr', 'rate', 100.0, 1.0, 0.0034397801541862735, 0.95, 0.7207086929798956, 1.32492614875267),
            ('fpr_sr', 'rate', 100.0, 1.0, 0.0034397801541862735, 0.998, 0.580393925286233, 1.5330503600511398),
            ('fpr_sr', 'rate', 220.0, 1.0, 0.0034397801541862735, 0.95, 0.7524069130637031, 1.282751222794242),
            ('fpr_sr', 'rate', 220.0, 1.0, 0.0034397801541862735, 0.998, 0.6256089171948519, 1.461791179853203),
            ('pr7', 'proportion', 1290.0, 0.19301972685887708, 0.0009108219925928141, 0.95, 0.1443484220845586, 0.24689416960543145),
            ('pr7', 'proportion', 1290.0, 0.19301972685887708, 0.0009108219925928141, 0.998, 0.11897237165167768, 0.27997446477094506),
            ('pr7', 'proportion', 2480.0, 0.19301972685887708, 0.0009108219925928141, 0.95, 0.14632362736091079, 0.2444815079847089),
            ('pr7', 'proportion', 2480.0, 0.19301972685887708, 0.0009108219925928141, 0.998, 0.12184803331059409, 0.2760157025855847),
            ('edge', 'rate', 1.0, 0.5, 0.0, 0.998, 0.0, 5.0725081456538135),
            ('edge', 'proportion', 10.0, 0.02, 0.0, 0.998, 0.0, 0.34757308071716914),
            ('edge', 'proportion', 10.0, 0.98, 0.0, 0.998, 0.6524269192828311, 1.0)
    ) as expected (case_id, data_type, denominator, target, tau2, confidence, expected_lower, expected_upper)
),

computed_limits as (
    select
        limits.*,
        case
            when data_type = 'proportion' and confidence = 0.95
                then {{ funnel_lower('proportion', 'denominator', 'target', 'tau2', 0.95) }}
            when data_type = 'proportion'
                then {{ funnel_lower('proportion', 'denominator', 'target', 'tau2', 0.998) }}
            when confidence = 0.95 then {{ funnel_lower('rate', 'denominator', 'target', 'tau2', 0.95) }}
            else {{ funnel_lower('rate', 'denominator', 'target', 'tau2', 0.998) }}
        end as actual_lower,
        case
            when data_type = 'proportion' and confidence = 0.95
                then {{ funnel_upper('proportion', 'denominator', 'target', 'tau2', 0.95) }}
            when data_type = 'proportion'
                then {{ funnel_upper('proportion', 'denominator', 'target', 'tau2', 0.998) }}
            when confidence = 0.95 then {{ funnel_upper('rate', 'denominator', 'target', 'tau2', 0.95) }}
            else {{ funnel_upper('rate', 'denominator', 'target', 'tau2', 0.998) }}
        end as actual_upper
    from limits
),

positions as (
    select *
    from (
        values
            (30.0, 'high_is_good', 'better_998'),
            (30.0, 'low_is_good', 'worse_998'),
            (30.0, 'no_judgement', 'higher_998'),
            (22.0, 'high_is_good', 'better_95'),
            (22.0, 'low_is_good', 'worse_95'),
            (20.0, 'low_is_good', 'within'),
            (18.0, 'low_is_good', 'within'),
            (16.0, 'low_is_good', 'better_95'),
            (10.0, 'high_is_good', 'worse_998'),
            (10.0, 'no_judgement', 'lower_998'),
            (null, 'low_is_good', null)
    ) as expected (value, polarity, expected_position)
),

failures as (
    select 'z ' || case_id || ' unit ' || unit as check_name
    from scored
    where expected_z is not null and {{ statistics_differs('z', 'expected_z') }}
    union all
    select 'dispersion ' || expected_dispersion.case_id
    from expected_dispersion
    left join dispersion
        on expected_dispersion.case_id = dispersion.case_id
    where dispersion.case_id is null
        or dispersion.n_units <> expected_dispersion.n_units
        or {{ statistics_differs('dispersion.phi', 'expected_dispersion.phi') }}
        or {{ statistics_differs('dispersion.tau2', 'expected_dispersion.tau2') }}
        or dispersion.is_overdispersion_adjusted <> expected_dispersion.is_overdispersion_adjusted
    union all
    select 'limits ' || case_id || ' n=' || denominator || ' c=' || confidence
    from computed_limits
    where {{ statistics_differs('actual_lower', 'expected_lower') }}
        or {{ statistics_differs('actual_upper', 'expected_upper') }}
    union all
    select 'position ' || coalesce(cast(value as varchar), 'null') || ' ' || polarity
    from positions
    where coalesce(
        {{ funnel_position('value', '17.0', '21.0', '12.0', '25.0', 'polarity') }},
        'null'
    ) <> coalesce(expected_position, 'null')
)

select * from failures
