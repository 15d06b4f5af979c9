{{ config(tags=['indicator']) }}
{#- Under-75 deaths from circulatory disease (ICD-10 I00-I99), directly standardised
    (footprint.premature_mortality_indicator). -#}
{{ footprint.premature_mortality_indicator('premature_mortality_cvd', 'circulatory') }}
