{{ config(tags=['indicator']) }}
{#- The high-intensity users' attendances in their 12-month window over the number of
    users; an SDF with no users has 0 over 0, no value
    (footprint.high_intensity_user_indicator). -#}
{{ footprint.high_intensity_user_indicator('ae_attendances_per_high_intensity_user',
    'user_counts.attendances', 'coalesce(user_counts.high_intensity_users, 0)') }}
