{#-
    Funnel plots with overdispersion-adjusted control limits: Spiegelhalter DJ, Funnel
    plots for comparing institutional performance, Stat Med 2005;24:1185-202, and
    Handling over-dispersion of performance indicators, Qual Saf Health Care
    2005;14:347-51, as the NHS-R FunnelPlotR package implements them (Winsorised
    z-scores, multiplicative dispersion phi, additive DerSimonian-Laird between-unit
    variance tau2).

    Two data types, each on a variance-stabilising scale where a unit with denominator n
    has standard error s = 1 / (2 sqrt(n)):
      'proportion'  x events out of n, target t (0..1): y = asin(sqrt(x / n)),
                    z = (y - asin(sqrt(t))) / s (FunnelPlotR data_type "PR");
      'rate'        O events over a denominator d (people, days), target rate r per unit
                    of denominator: expected E = d r, s = 1 / (2 sqrt(E)), z =
                    (sqrt(O / E) - 1) / s = 2 (sqrt(O) - sqrt(E)) (the square-root
                    transform of a ratio O / E, FunnelPlotR data_type "SR",
                    sr_method "CQC").
    Limits at confidence c (z_c 1.959964 or 3.090232), denominator n:
      proportion  sin^2(asin(sqrt(t)) -/+ z_c sqrt(s^2 + tau2)), the angle held within
                  0..pi/2 so a limit stops at 0 or 1 instead of folding back;
      rate        r (1 -/+ z_c sqrt(s^2 + tau2))^2, the lower limit 0 where
                  1 - z_c sqrt(...) < 0. FunnelPlotR's current calculate_limits() leaves
                  the CQC limit on the square-root scale (no square); its earlier
                  build_limits_lookup() and the paper square it, which is what puts the
                  limit on the same scale as the value the z-score was computed from.
    Without overdispersion tau2 = 0 and the limits are the plain funnel.
    Returned on the 0..1 scale (proportions) or per unit of denominator (rates): the
    caller applies the multiplier, as for the other statistics macros.
-#}

{% macro funnel_z(data_type, numerator, denominator, target) -%}
    {%- set x = footprint.statistics_double(numerator) -%}
    {%- set n = footprint.statistics_double(denominator) -%}
    {%- set t = footprint.statistics_double(target) -%}
    {%- if data_type == 'proportion' -%}
    case
        when {{ n }} > 0 and {{ x }} >= 0 and {{ x }} <= {{ n }} and {{ t }} >= 0 and {{ t }} <= 1
            then (asin(sqrt({{ x }} / {{ n }})) - asin(sqrt({{ t }}))) * 2 * sqrt({{ n }})
    end
    {%- elif data_type == 'rate' -%}
    case
        when {{ n }} > 0 and {{ x }} >= 0 and {{ t }} > 0
            then 2 * (sqrt({{ x }}) - sqrt({{ n }} * {{ t }}))
    end
    {%- else -%}
    {{ footprint._funnel_unknown_type(data_type) }}
    {%- endif -%}
{%- endmacro %}

{#- Standard error on the transformed scale, 1 / (2 sqrt(n)), n the denominator of a
    proportion or the expected events d r of a rate. -#}
{% macro funnel_standard_error(data_type, denominator, target) -%}
    {%- set n = footprint.statistics_double(denominator) -%}
    {%- set t = footprint.statistics_double(target) -%}
    {%- if data_type == 'proportion' -%}
    case when {{ n }} > 0 then 1 / (2 * sqrt({{ n }})) end
    {%- elif data_type == 'rate' -%}
    case when {{ n }} > 0 and {{ t }} > 0 then 1 / (2 * sqrt({{ n }} * {{ t }})) end
    {%- else -%}
    {{ footprint._funnel_unknown_type(data_type) }}
    {%- endif -%}
{%- endmacro %}

{% macro funnel_lower(data_type, denominator, target, tau2, confidence=0.998) -%}
    {{ footprint._funnel_limit(data_type, denominator, target, tau2, confidence, '-') }}
{%- endmacro %}

{% macro funnel_upper(data_type, denominator, target, tau2, confidence=0.998) -%}
    {{ footprint._funnel_limit(data_type, denominator, target, tau2, confidence, '+') }}
{%- endmacro %}

{% macro _funnel_limit(data_type, denominator, target, tau2, confidence, sign) -%}
    {%- set z = footprint.statistics_z(confidence) -%}
    {%- set t = footprint.statistics_double(target) -%}
    {%- set spread = z ~ ' * sqrt(power(' ~ footprint.funnel_standard_error(data_type, denominator, target)
        ~ ', 2) + ' ~ footprint.statistics_double(tau2) ~ ')' -%}
    {%- if data_type == 'proportion' -%}
    case
        when {{ t }} >= 0 and {{ t }} <= 1 then power(sin(
            least(greatest(asin(sqrt({{ t }})) {{ sign }} {{ spread }}, 0), pi() / 2)
        ), 2)
    end
    {%- elif data_type == 'rate' -%}
    {{ t }} * power(greatest(1 {{ sign }} {{ spread }}, 0), 2)
    {%- else -%}
    {{ footprint._funnel_unknown_type(data_type) }}
    {%- endif -%}
{%- endmacro %}

{#-
    The dispersion of a set of units (one funnel) as one SELECT statement (nested
    subqueries, no WITH) returning one row per partition of `relation`: partition
    columns, n_units (k, units with a z-score), phi, tau2 and is_overdispersion_adjusted.

        with units as (select ..., funnel_z(...) as z, funnel_standard_error(...) as s ...),
        dispersion as ({{ funnel_dispersion('units', partition_by=['indicator_id']) }})

    As FunnelPlotR: z-scores Winsorised at the `trim` (10%) and 1 - trim quantiles
    (linear interpolation between order statistics, R's default quantile type 7 =
    percentile_cont); phi = sum(z_w^2) / k; tau2 = (k phi - (k - 1)) /
    (sum(w) - sum(w^2) / sum(w)), w = 1 / s^2, and 0 when k phi < k - 1 (no
    overdispersion) or fewer than 2 units. The limits are adjusted when tau2 > 0, as
    FunnelPlotR draws adjusted limits only then; it sets no minimum number of units, so
    neither does this (with few units phi is a rough estimate: see docs/indicators.md).
-#}
{% macro funnel_dispersion(relation, partition_by, z='z', standard_error='standard_error', trim=0.1) -%}
    {%- set partition_columns = [partition_by] if partition_by is string else partition_by -%}
    {%- set partition_sql = partition_columns | join(', ') -%}
    select
        {%- for column in partition_columns %}
        {{ column }},
        {%- endfor %}
        n_units,
        phi,
        tau2,
        tau2 > 0 as is_overdispersion_adjusted
    from (
        select
            funnel_sums.*,
            case
                when n_units < 2 or n_units * phi < n_units - 1 then 0
                else greatest(0, (n_units * phi - (n_units - 1)) / nullif(sum_w - sum_w_squared / sum_w, 0))
            end as tau2
        from (
            select
                {%- for column in partition_columns %}
                funnel_units.{{ column }},
                {%- endfor %}
                count(*) as n_units,
                -- exact sums: the same last bits on every run, whatever order threads add in
                {{ footprint.statistics_exact_sum(
                    'power(least(greatest(funnel_units.funnel_z, funnel_bounds.lower_z), funnel_bounds.upper_z), 2)'
                ) }} / count(*) as phi,
                {{ footprint.statistics_exact_sum('funnel_units.funnel_w') }} as sum_w,
                {{ footprint.statistics_exact_sum('power(funnel_units.funnel_w, 2)') }} as sum_w_squared
            from (
                select
                    {%- for column in partition_columns %}
                    {{ column }},
                    {%- endfor %}
                    {{ footprint.statistics_double(z) }} as funnel_z,
                    1 / power({{ footprint.statistics_double(standard_error) }}, 2) as funnel_w
                from {{ relation }}
                where {{ z }} is not null and {{ standard_error }} > 0
            ) as funnel_units
            inner join (
                select
                    {%- for column in partition_columns %}
                    {{ column }},
                    {%- endfor %}
                    percentile_cont({{ trim }}) within group (order by {{ footprint.statistics_double(z) }}) as lower_z,
                    percentile_cont({{ 1 - trim }}) within group (order by {{ footprint.statistics_double(z) }}) as upper_z
                from {{ relation }}
                where {{ z }} is not null and {{ standard_error }} > 0
                group by {{ partition_sql }}
            ) as funnel_bounds
                on {% for column in partition_columns -%}
                funnel_units.{{ column }} = funnel_bounds.{{ column }}{% if not loop.last %} and {% endif %}
                {%- endfor %}
            group by {% for column in partition_columns -%}
                funnel_units.{{ column }}{% if not loop.last %}, {% endif %}
            {%- endfor %}
        ) as funnel_sums
    ) as funnel_dispersions
{%- endmacro %}

{#- Where a value sits against its funnel: above / below the 99.8% limits, else above /
    below the 95% limits, else within (on a limit is within); read through polarity as
    better / worse (high_is_good, low_is_good) or kept as higher / lower (no_judgement).
    Values: 'within', '<reading>_95', '<reading>_998' (e.g. 'worse_998'); null when the
    value or a limit is null. -#}
{% macro funnel_position(value, lower_95, upper_95, lower_998, upper_998, polarity) -%}
    case
        when {{ value }} is null or {{ lower_95 }} is null or {{ upper_95 }} is null
            or {{ lower_998 }} is null or {{ upper_998 }} is null then null
        when {{ value }} > {{ upper_998 }} then {{ footprint._funnel_reading('higher', polarity) }} || '_998'
        when {{ value }} < {{ lower_998 }} then {{ footprint._funnel_reading('lower', polarity) }} || '_998'
        when {{ value }} > {{ upper_95 }} then {{ footprint._funnel_reading('higher', polarity) }} || '_95'
        when {{ value }} < {{ lower_95 }} then {{ footprint._funnel_reading('lower', polarity) }} || '_95'
        else 'within'
    end
{%- endmacro %}

{% macro _funnel_reading(direction, polarity) -%}
    {%- set good = 'better' if direction == 'higher' else 'worse' -%}
    {%- set bad = 'worse' if direction == 'higher' else 'better' -%}
    case {{ polarity }}
        when 'high_is_good' then '{{ good }}'
        when 'low_is_good' then '{{ bad }}'
        else '{{ direction }}'
    end
{%- endmacro %}

{% macro _funnel_unknown_type(data_type) -%}
    {{ exceptions.raise_compiler_error(
        "funnel macros support data_type 'proportion' or 'rate', got '" ~ data_type
        ~ "' (a DSR is compared as a rate of its events: see fct_indicator_funnels)") }}
{%- endmacro %}
