{#-
    For the data tests of the statistics macros (tests/dbt/statistics): true when a
    computed value disagrees with the expected one beyond the tolerance, i.e.
    |actual - expected| > max(rel_tol * |expected|, abs_tol); null on one side only also
    disagrees, null on both sides agrees. rel_tol 5e-7 = agreement to 6 significant
    figures; abs_tol (an SQL expression, so it can be a column) covers expected zeros and
    published values printed to fewer decimals.
-#}

{% macro statistics_differs(actual, expected, rel_tol=5e-7, abs_tol=1e-12) -%}
    (
        case
            when {{ actual }} is null and {{ expected }} is null then false
            when {{ actual }} is null or {{ expected }} is null then true
            when abs({{ rel_tol }} * {{ footprint.statistics_double(expected) }}) >= {{ abs_tol }}
                then abs({{ actual }} - {{ footprint.statistics_double(expected) }})
                    > abs({{ rel_tol }} * {{ footprint.statistics_double(expected) }})
            else abs({{ actual }} - {{ footprint.statistics_double(expected) }}) > {{ abs_tol }}
        end
    )
{%- endmacro %}
