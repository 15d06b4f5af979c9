{#-
    Confidence limits for a count of events (Poisson), as PHEindicatormethods phe_rate:
    exact limits below 10 events, Byars' approximation from 10 events up.

      exact (count < 10):  lower = qchisq(a/2, 2O) / 2  (0 when O = 0)
                           upper = qchisq(1 - a/2, 2(O + 1)) / 2
      Byars (count >= 10): lower = O (1 - 1/(9O) - z/(3 sqrt(O)))^3
                           upper = (O + 1)(1 - 1/(9(O + 1)) + z/(3 sqrt(O + 1)))^3

    SQL has no chi-squared quantile, so the exact limits for 0..9 events are tabulated
    below (computed with scipy.stats.chi2.ppf, 15 significant figures). Counts below 10
    must be whole numbers (a fractional count there returns null), negative counts and
    nulls return null. References: Breslow & Day 1987 (Byars); Armitage & Berry 2002
    (exact); PHEindicatormethods R/Byars.R and R/Rates.R.
-#}

{#- Exact limits for 0..9 events by confidence level and side. -#}
{% macro _poisson_exact_limits() -%}
{%- set limits = {
    '0.9500': {
        'lower': [0, 0.0253178079842899, 0.242209278543965, 0.618672122895601,
                  1.08986537362633, 1.62348639011842, 2.20189425349085,
                  2.81436305151987, 3.45383217674850, 4.11537309737833],
        'upper': [3.68887945411394, 5.57164339093890, 7.22468766772396,
                  8.76727306974232, 10.2415886754037, 11.6683320793227,
                  13.0594740225187, 14.4226753617024, 15.7631892201933,
                  17.0848034514192],
    },
    '0.9980': {
        'lower': [0, 0.00100050033358353, 0.0454020177694896, 0.190533377568403,
                  0.428552413628423, 0.739371731917833, 1.10710466025564,
                  1.52033626039881, 1.97081392174037, 2.45242440436378],
        'upper': [6.90775527898214, 9.23341347645158, 11.2288722424127,
                  13.0622407791881, 14.7941492225372, 16.4547452036801,
                  18.0616368401991, 19.6261773953842, 21.1561981658400,
                  22.6573733090629],
    },
} -%}
{{ return(limits) }}
{%- endmacro %}

{% macro byars_lower(count, confidence=0.95) -%}
    {{ footprint._poisson_limit(count, confidence, 'lower') }}
{%- endmacro %}

{% macro byars_upper(count, confidence=0.95) -%}
    {{ footprint._poisson_limit(count, confidence, 'upper') }}
{%- endmacro %}

{#- Crude rate = count / denominator * multiplier; its limits are the count's limits
    scaled the same way (phe_rate). Null when the denominator is not positive. -#}
{% macro crude_rate_value(count, denominator, multiplier=100000) -%}
    case
        when {{ denominator }} > 0
            then {{ footprint.statistics_double(count) }} / {{ denominator }} * {{ multiplier }}
    end
{%- endmacro %}

{% macro crude_rate_lower(count, denominator, multiplier=100000, confidence=0.95) -%}
    case
        when {{ denominator }} > 0
            then {{ footprint.byars_lower(count, confidence) }} / {{ denominator }} * {{ multiplier }}
    end
{%- endmacro %}

{% macro crude_rate_upper(count, denominator, multiplier=100000, confidence=0.95) -%}
    case
        when {{ denominator }} > 0
            then {{ footprint.byars_upper(count, confidence) }} / {{ denominator }} * {{ multiplier }}
    end
{%- endmacro %}

{% macro _poisson_limit(count, confidence, side) -%}
    {%- set key = footprint.statistics_confidence_key(confidence) -%}
    {%- set exact = footprint._poisson_exact_limits()[key][side] -%}
    {%- set z = footprint.statistics_z(confidence) -%}
    {%- set o = footprint.statistics_double(count) -%}
    case
        when {{ o }} < 0 then null
        /* exact Poisson limits for small counts (tabulated for whole numbers only) */
        when {{ o }} < 10 then
            case {{ o }}
                {%- for limit in exact %}
                when {{ loop.index0 }} then {{ limit }}
                {%- endfor %}
            end
        {%- if side == 'lower' %}
        else {{ o }} * power(1 - 1 / (9 * {{ o }}) - {{ z }} / (3 * sqrt({{ o }})), 3)
        {%- else %}
        else ({{ o }} + 1) * power(1 - 1 / (9 * ({{ o }} + 1)) + {{ z }} / (3 * sqrt({{ o }} + 1)), 3)
        {%- endif %}
    end
{%- endmacro %}
