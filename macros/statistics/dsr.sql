{#-
    Directly standardised rate with Dobson confidence limits, as PHEindicatormethods
    phe_dsr. These are AGGREGATE expressions: use them in a select grouped by everything
    except the standardisation category (age band), one input row per band, e.g.

        select area_code, period,
               {{ dsr_value('deaths', 'population', 'esp2013_population') }} as dsr,
               {{ dsr_lower('deaths', 'population', 'esp2013_population') }} as dsr_lower_ci,
               {{ dsr_upper('deaths', 'population', 'esp2013_population') }} as dsr_upper_ci
        from ... group by area_code, period

      DSR    = sum(w_i O_i / n_i) * multiplier            w_i = stdpop_i / sum(stdpop)
      var    = sum(w_i^2 O_i / n_i^2)
      limits = DSR + sqrt(var / O) * (O_limit - O) * multiplier,   O = sum(O_i),
               O_limit = byars_lower / byars_upper of O (Dobson et al. 1991)

    Null (not published) when the total count is below 10, as phe_dsr and Fingertips
    do; also null when any band's population is missing or not positive (phe_dsr stops
    with an error there). A missing count in a band counts as 0 (phe_dsr na.zero).
    Every band of the standard must be present for the rate to be comparable: the
    caller joins the full set of bands (19 for ESP 2013) before aggregating.
    The sums over bands are exact (statistics_exact_sum), so the rate and its limits are
    the same on every run.
-#}

{% macro dsr_value(count, population, standard_population, multiplier=100000) -%}
    case
        when {{ footprint._dsr_not_published(count, population) }} then null
        else {{ footprint._dsr_rate(count, population, standard_population) }} * {{ multiplier }}
    end
{%- endmacro %}

{% macro dsr_lower(count, population, standard_population, multiplier=100000, confidence=0.95) -%}
    {{ footprint._dsr_limit(count, population, standard_population, multiplier, confidence, 'lower') }}
{%- endmacro %}

{% macro dsr_upper(count, population, standard_population, multiplier=100000, confidence=0.95) -%}
    {{ footprint._dsr_limit(count, population, standard_population, multiplier, confidence, 'upper') }}
{%- endmacro %}

{% macro _dsr_total_count(count) -%}
    {{ footprint.statistics_exact_sum('coalesce(' ~ count ~ ', 0)') }}
{%- endmacro %}

{% macro _dsr_not_published(count, population) -%}
    (
        {{ footprint._dsr_total_count(count) }} < 10
        or sum(case when {{ population }} is null or {{ population }} <= 0 then 1 else 0 end) > 0
    )
{%- endmacro %}

{#- sum(w_i O_i / n_i) on the 0..1 scale, w_i = stdpop_i / sum(stdpop). -#}
{% macro _dsr_rate(count, population, standard_population) -%}
    (
        {{ footprint.statistics_exact_sum(
            'coalesce(' ~ footprint.statistics_double(count) ~ ', 0) * ' ~ standard_population
            ~ ' / nullif(' ~ population ~ ', 0)') }}
        / {{ footprint.statistics_exact_sum(standard_population) }}
    )
{%- endmacro %}

{% macro _dsr_limit(count, population, standard_population, multiplier, confidence, side) -%}
    {%- set total = footprint._dsr_total_count(count) -%}
    {%- set limit_of_total = footprint.byars_lower(total, confidence) if side == 'lower'
                             else footprint.byars_upper(total, confidence) -%}
    case
        when {{ footprint._dsr_not_published(count, population) }} then null
        else (
            {{ footprint._dsr_rate(count, population, standard_population) }}
            + sqrt(
                /* Dobson: var(DSR) / O, var(DSR) = sum(w_i^2 O_i / n_i^2) */
                {{ footprint.statistics_exact_sum(
                    'coalesce(' ~ footprint.statistics_double(count) ~ ', 0) * power('
                    ~ footprint.statistics_double(standard_population) ~ ' / nullif(' ~ population ~ ', 0), 2)') }}
                / power({{ footprint.statistics_exact_sum(standard_population) }}, 2)
                / {{ total }}
            ) * ({{ limit_of_total }} - {{ total }})
        ) * {{ multiplier }}
    end
{%- endmacro %}
