{#-
    Wilson score interval for a proportion, as PHEindicatormethods wilson_lower /
    wilson_upper (used by phe_proportion and on Fingertips for every proportion):

        (2x + z^2 -/+ z * sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2))

    Returned on the proportion scale 0..1; the caller applies any multiplier (e.g. 100
    for a percentage). Null when the denominator is not positive or the numerator is
    outside 0..n (PHEindicatormethods stops with an error there; a warehouse row gets
    null instead). Reference: Newcombe RG, Stat Med 1998;17:857-72 (method 3).
-#}

{% macro wilson_lower(numerator, denominator, confidence=0.95) -%}
    {{ footprint._wilson_limit(numerator, denominator, confidence, '-') }}
{%- endmacro %}

{% macro wilson_upper(numerator, denominator, confidence=0.95) -%}
    {{ footprint._wilson_limit(numerator, denominator, confidence, '+') }}
{%- endmacro %}

{% macro _wilson_limit(numerator, denominator, confidence, sign) -%}
    {%- set z = footprint.statistics_z(confidence) -%}
    {%- set z_squared = z * z -%}
    {%- set x = footprint.statistics_double(numerator) -%}
    {%- set n = footprint.statistics_double(denominator) -%}
    case
        when {{ n }} > 0 and {{ x }} >= 0 and {{ x }} <= {{ n }}
            then (
                2 * {{ x }} + {{ z_squared }}
                {{ sign }} {{ z }} * sqrt({{ z_squared }} + 4 * {{ x }} * (1 - {{ x }} / {{ n }}))
            ) / (2 * ({{ n }} + {{ z_squared }}))
    end
{%- endmacro %}
