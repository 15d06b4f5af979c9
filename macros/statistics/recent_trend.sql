{#-
    The recent-trend test of the Fingertips profiles, on the last five points of each
    series. Renders one SELECT statement (nested subqueries, no WITH, so it can sit in a
    CTE body on any engine) returning one row per partition:

        with monthly as (...),
        trend as (
            {{ recent_trend('monthly', partition_by=['indicator_id', 'sdf_code'],
                            order_by='period_month', value='value',
                            lower='lower_ci', upper='upper_ci', polarity='polarity') }}
        )

    Method, on the last `points` (5) rows by order_by:
      x = position in time (centred: -2..2, so the slope is per step of the series)
      w = 1 / variance, variance = ((upper - lower) / (2 z))^2  (z of the 95% interval)
      weighted least squares of value on x from the sums S_w, S_wx, S_wy, S_wxx, S_wxy:
        D = S_w S_wxx - S_wx^2;  slope = (S_w S_wxy - S_wx S_wy) / D;  var(slope) = S_w / D
      chi_squared = slope^2 / var(slope), significant above 9.5495 (99.8%, 1 df);
      the same fit with each point left out in turn (subtract its terms from the sums)
      must give a slope of the same sign all five times.
    direction: 'increasing' / 'decreasing' / 'no_significant_change', or
    'not_enough_data' when fewer than five points exist or any of the last five lacks a
    value or a positive-width interval (a gap is not bridged). With polarity (a column
    of the relation, constant within a partition) a `trend` column reads the direction
    through it (trend_judgement).
    Caveat: Fingertips itself tests proportions with a binomial chi-squared test for
    trend and only annual series; here one method serves all value types.

    Longer, clustered series (fct_indicator_trends tests the 24 single months):
      min_points   fit the last `points` rows when at least min_points of them have a
                   value (default: all `points`); a missing value is then left out of
                   the fit, the other points keep their place in time.
      overdispersion  true: the weights 1 / variance assume Poisson (or binomial)
                   spread, which events that come in runs (one delayed spell gives many
                   days) exceed. The dispersion factor is estimated from the series, as
                   quasi-Poisson regression does: phi = Pearson chi-squared of the fit
                   over its degrees of freedom, sum(w (y - a - b x)^2) / (n - 2)
                   (McCullagh & Nelder 1989, section 4.5.2), and var(slope) is multiplied
                   by phi when phi > 1 (never narrowed below the Poisson variance, as in
                   Spiegelhalter 2005's overdispersed funnel plots). Column dispersion
                   holds the factor used (1 without overdispersion).
      season       an expression of the relation's columns naming each point's season
                   (the calendar month of a monthly series). Winter peaks tilt a
                   straight line through single months: a series from November to
                   October falls by about half its seasonal amplitude from the season
                   alone. With a season the fit is the linear trend with one level per
                   season (weighted least squares with season dummies): x and value are
                   taken from their season's weighted means, slope = S_w dx dy / S_w dx^2,
                   var(slope) = 1 / S_w dx^2, and the degrees of freedom of the
                   dispersion are n - seasons - 1. A season with one point says nothing
                   about the slope. Without a season there is one level, the plain fit.
-#}

{% macro recent_trend(relation, partition_by, order_by='period_month', value='value',
                      lower='lower_ci', upper='upper_ci', polarity=none, points=5,
                      ci_confidence=0.95, min_points=none, overdispersion=false,
                      season=none) -%}
    {%- set min_points = points if min_points is none else min_points -%}
    {%- set partition_columns = [partition_by] if partition_by is string else partition_by -%}
    {%- set partition_sql = partition_columns | join(', ') -%}
    {#- the sums over a series (or a season of it) taken in period order, so the
        floating-point additions happen in the same order on every run -#}
    {%- set rows_sql = ' order by trend_period rows between unbounded preceding and unbounded following)' -%}
    {%- set per_series = 'over (partition by ' ~ partition_sql ~ rows_sql -%}
    {%- set per_season = 'over (partition by ' ~ partition_sql ~ ', trend_season' ~ rows_sql -%}
    {%- set z = footprint.statistics_z(ci_confidence) -%}
    {%- set critical = footprint.statistics_chi_squared_critical(0.998) -%}
    {%- set centre = (points + 1) / 2 -%}
    {#- Pearson chi-squared over degrees of freedom (points less the seasons' levels
        less the slope), floored at 1; an aggregate over the series' points -#}
    {%- if overdispersion -%}
    {%- set dispersion_sql = 'greatest(1, sum(trend_weight * power(trend_dy - trend_slope * trend_dx, 2)) / nullif(count(trend_weight) - count(distinct case when trend_weight is not null then trend_season end) - 1, 0))' -%}
    {%- else -%}
    {%- set dispersion_sql = '1' -%}
    {%- endif -%}
    select
        {%- for column in partition_columns %}
        {{ column }},
        {%- endfor %}
        n_points,
        first_period,
        last_period,
        slope,
        slope_variance,
        chi_squared,
        dispersion,
        direction
        {%- if polarity %},
        trend_polarity as polarity,
        {{ footprint.trend_judgement('direction', 'trend_polarity') }} as trend
        {%- endif %}
    from (
        select
            trend_summary.*,
            case
                when n_points < {{ min_points }} or slope is null then 'not_enough_data'
                when chi_squared > {{ critical }} and slope > 0 and min_loo_slope > 0 then 'increasing'
                when chi_squared > {{ critical }} and slope < 0 and max_loo_slope < 0 then 'decreasing'
                else 'no_significant_change'
            end as direction
        from (
            -- one row per series: the full fit is the same on every row, so max() picks it
            select
                {%- for column in partition_columns %}
                {{ column }},
                {%- endfor %}
                count(trend_weight) as n_points,
                min(trend_period) as first_period,
                max(trend_period) as last_period,
                case when count(trend_weight) >= {{ min_points }} then max(trend_slope) end as slope,
                case when count(trend_weight) >= {{ min_points }}
                    then max(trend_slope_variance) * {{ dispersion_sql }} end as slope_variance,
                case when count(trend_weight) >= {{ min_points }}
                    then max(power(trend_slope, 2) / trend_slope_variance) / {{ dispersion_sql }} end as chi_squared,
                case when count(trend_weight) >= {{ min_points }}
                    and max(trend_slope) is not null then {{ dispersion_sql }} end as dispersion,
                min(loo_slope) as min_loo_slope,
                max(loo_slope) as max_loo_slope
                {%- if polarity %},
                max(trend_polarity) as trend_polarity
                {%- endif %}
            from (
                select
                    trend_sums.*,
                    s_xy / nullif(s_xx, 0) as trend_slope,
                    1 / nullif(s_xx, 0) as trend_slope_variance,
                    -- the fit without this point: its season's centred sums without it
                    (s_xy - season_xy + season_xy_without) / nullif(
                        s_xx - season_xx + season_xx_without, 0
                    ) as loo_slope
                from (
                    select
                        trend_centred.*,
                        sum(trend_weight * trend_dx * trend_dx) {{ per_series }} as s_xx,
                        sum(trend_weight * trend_dx * trend_dy) {{ per_series }} as s_xy,
                        g_wxx - g_wx * g_wx / g_w as season_xx,
                        g_wxy - g_wx * g_wy / g_w as season_xy,
                        case
                            when g_w - trend_weight > 0 then
                                (g_wxx - trend_weight * trend_x * trend_x)
                                - power(g_wx - trend_weight * trend_x, 2) / (g_w - trend_weight)
                            when trend_weight is not null then 0  -- its season's only point
                        end as season_xx_without,
                        case
                            when g_w - trend_weight > 0 then
                                (g_wxy - trend_weight * trend_x * trend_value)
                                - (g_wx - trend_weight * trend_x) * (g_wy - trend_weight * trend_value)
                                    / (g_w - trend_weight)
                            when trend_weight is not null then 0  -- its season's only point
                        end as season_xy_without
                    from (
                        -- each point's distance from its season's weighted means
                        select
                            trend_seasons.*,
                            trend_x - g_wx / g_w as trend_dx,
                            trend_value - g_wy / g_w as trend_dy
                        from (
                            select
                                trend_points.*,
                                sum(trend_weight) {{ per_season }} as g_w,
                                sum(trend_weight * trend_x) {{ per_season }} as g_wx,
                                sum(trend_weight * trend_value) {{ per_season }} as g_wy,
                                sum(trend_weight * trend_x * trend_x) {{ per_season }} as g_wxx,
                                sum(trend_weight * trend_x * trend_value) {{ per_season }} as g_wxy
                            from (
                                select
                                    {%- for column in partition_columns %}
                                    {{ column }},
                                    {%- endfor %}
                                    trend_period,
                                    trend_season,
                                    trend_value,
                                    {{ centre }} - trend_recency as trend_x,
                                    -- weight = 1 / variance, variance from the interval's width
                                    case
                                        when trend_value is not null and trend_upper > trend_lower
                                            then power(2 * {{ z }} / (trend_upper - trend_lower), 2)
                                    end as trend_weight
                                    {%- if polarity %},
                                    trend_polarity
                                    {%- endif %}
                                from (
                                    select
                                        {%- for column in partition_columns %}
                                        {{ column }},
                                        {%- endfor %}
                                        {{ order_by }} as trend_period,
                                        {{ season if season else 1 }} as trend_season,
                                        {{ footprint.statistics_double(value) }} as trend_value,
                                        {{ footprint.statistics_double(lower) }} as trend_lower,
                                        {{ footprint.statistics_double(upper) }} as trend_upper,
                                        {%- if polarity %}
                                        {{ polarity }} as trend_polarity,
                                        {%- endif %}
                                        row_number() over (
                                            partition by {{ partition_sql }} order by {{ order_by }} desc
                                        ) as trend_recency
                                    from {{ relation }}
                                ) as trend_input
                                where trend_recency <= {{ points }}
                            ) as trend_points
                        ) as trend_seasons
                    ) as trend_centred
                ) as trend_sums
            ) as trend_fits
            group by {{ partition_sql }}
        ) as trend_summary
    ) as trend_directions
{%- endmacro %}

{#- Direction of travel read through polarity: increasing is improving where high is
    good and worsening where low is good (and the reverse for decreasing). Without a
    judgement the direction stays 'increasing' / 'decreasing';
    'no_significant_change' and 'not_enough_data' pass through. -#}
{% macro trend_judgement(direction, polarity) -%}
    case
        when {{ direction }} = 'increasing' and {{ polarity }} = 'high_is_good' then 'improving'
        when {{ direction }} = 'increasing' and {{ polarity }} = 'low_is_good' then 'worsening'
        when {{ direction }} = 'decreasing' and {{ polarity }} = 'high_is_good' then 'worsening'
        when {{ direction }} = 'decreasing' and {{ polarity }} = 'low_is_good' then 'improving'
        else {{ direction }}
    end
{%- endmacro %}
