-- Helpers for row validation, created in the in-memory ingestion connection.
-- Never an error, whatever the text: casts are tried only on ten digits (DuckDB does
-- not short-circuit AND), and anything else is simply not valid.
create or replace temp macro is_valid_nhs_number(candidate) as (
    coalesce(
        case when regexp_full_match(candidate, '[0-9]{10}') then (
            (11 - list_sum(list_transform(
                range(1, 10), lambda i: try_cast(substr(candidate, i, 1) as integer) * (11 - i)
            )) % 11) % 11
        ) = try_cast(substr(candidate, 10, 1) as integer) end,
        false
    )
);

-- Masks identifiers in a raw line before it is kept in quarantine: any run of ten
-- digits (optionally grouped 3-3-4 by spaces, dashes or dots) that is not part of a
-- longer code.
create or replace temp macro mask_identifiers(line) as (
    regexp_replace(
        regexp_replace(
            line,
            '(^|[^0-9A-Za-z])[0-9]{3}[ .-]?[0-9]{3}[ .-]?[0-9]{4}([^0-9A-Za-z]|$)',
            '\1[NHS number removed]\2', 'g'
        ),
        '(^|[^0-9A-Za-z])[0-9]{3}[ .-]?[0-9]{3}[ .-]?[0-9]{4}([^0-9A-Za-z]|$)',
        '\1[NHS number removed]\2', 'g'
    )
);
