{{ config(tags=['indicator']) }}
{#- High-intensity users per SDF and 12-month window over the SDF's registered residents
    (footprint.high_intensity_user_indicator). -#}
{{ footprint.high_intensity_user_indicator('ae_high_intensity_users',
    'user_counts.high_intensity_users', 'population.population', resident_denominator=true) }}
