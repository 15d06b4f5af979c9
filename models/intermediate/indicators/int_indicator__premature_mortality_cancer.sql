{{ config(tags=['indicator']) }}
{#- Under-75 deaths from cancer (ICD-10 C00-C97), directly standardised
    (footprint.premature_mortality_indicator). -#}
{{ footprint.premature_mortality_indicator('premature_mortality_cancer', 'cancer') }}
