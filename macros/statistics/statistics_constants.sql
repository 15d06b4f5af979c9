{#-
    Shared pieces of the statistics macros: the numeric type they compute in, the normal
    quantile for a confidence level, and the chi-squared critical value of the trend test.
    SQL has no quantile functions, so the two confidence levels the public health profiles
    use (95% and 99.8%) are held here as constants to full double precision
    (scipy.stats.norm.ppf; the same as R's qnorm used by PHEindicatormethods).
-#}

{#- dbt.type_float() renders `float`, which is a 4-byte real in DuckDB (about 7
    significant figures): too coarse for confidence limits. `double precision` is the
    ANSI name of an 8-byte float and every engine dbt supports accepts it. -#}
{% macro statistics_type_double() -%}
    {{ return(adapter.dispatch('statistics_type_double', 'footprint')()) }}
{%- endmacro %}

{% macro default__statistics_type_double() -%}
    double precision
{%- endmacro %}

{% macro statistics_double(expression) -%}
    cast({{ expression }} as {{ footprint.statistics_type_double() }})
{%- endmacro %}

{#- Normalise a confidence level given as 0.95 / 95 or 0.998 / 99.8 to a key. -#}
{% macro statistics_confidence_key(confidence) -%}
    {%- set level = confidence | float -%}
    {%- if level >= 90 -%}{%- set level = level / 100 -%}{%- endif -%}
    {%- set key = '%.4f' | format(level) -%}
    {%- if key not in ['0.9500', '0.9980'] -%}
        {{ exceptions.raise_compiler_error(
            "statistics macros support confidence 0.95 or 0.998 (95 or 99.8), got "
            ~ confidence ~ ": SQL has no normal or chi-squared quantile function, so only "
            ~ "these two levels are tabulated in macros/statistics/statistics_constants.sql") }}
    {%- endif -%}
    {{ return(key) }}
{%- endmacro %}

{#- Two-sided normal quantile z = qnorm(1 - (1 - confidence) / 2). -#}
{% macro statistics_z(confidence=0.95) -%}
    {%- set z_by_confidence = {
        '0.9500': 1.959963984540054,
        '0.9980': 3.090232306167813,
    } -%}
    {{ return(z_by_confidence[footprint.statistics_confidence_key(confidence)]) }}
{%- endmacro %}

{#- Chi-squared critical value with 1 degree of freedom = z squared:
    qchisq(0.998, 1) = 9.5495357 (Fingertips quotes 9.5495). -#}
{% macro statistics_chi_squared_critical(confidence=0.998) -%}
    {%- set chi_squared_by_confidence = {
        '0.9500': 3.841458820694124,
        '0.9980': 9.549535706083237,
    } -%}
    {{ return(chi_squared_by_confidence[footprint.statistics_confidence_key(confidence)]) }}
{%- endmacro %}

{#- The sum of a floating-point expression, the same on every run. DuckDB adds up a
    DOUBLE column in parallel, in an order that varies from run to run, so the last bits
    of the sum (and, through rounding to 5, a published count) could differ between two
    builds of the same deliveries. Each term is cast to DECIMAL(38, 18) (its value to 18
    decimals: exact for counts, and for population shares far below any published
    precision), the decimals are added exactly, in any order, and the total is cast back.
    The whole part and the fraction are cast apart: DuckDB casts a DOUBLE to DECIMAL(38, 18)
    through the double x 10^18, which is not exact above about 2,361 (2645.0 became
    2644.999999999999737856, so a count of events summed to 2644.9999999999995), whereas
    the whole part cast to DECIMAL(38, 0) is exact and the fraction (below 1) keeps 16
    significant figures. Terms must stay below 10^20. With `over`, a window sum: `over`
    is the window clause without the word OVER, e.g. "partition by area order by month
    rows 11 preceding". -#}
{% macro statistics_exact_sum(expression, over=none) -%}
    {%- set term = '(' ~ expression ~ ')' -%}
    cast(
        sum(
            cast(cast(floor({{ term }}) as decimal(38, 0)) as decimal(38, 18))
            + cast({{ term }} - floor({{ term }}) as decimal(38, 18))
        ){% if over is not none %} over ({{ over }}){% endif %}
        as {{ footprint.statistics_type_double() }}
    )
{%- endmacro %}
