{{ config(tags=['indicator']) }}
{#- The size of the high-intensity user cohort: a count of people with no denominator
    (catalogue method 'count'; footprint.high_intensity_user_indicator). -#}
{{ footprint.high_intensity_user_indicator('ae_high_intensity_user_cohort',
    'user_counts.high_intensity_users', 'null') }}
