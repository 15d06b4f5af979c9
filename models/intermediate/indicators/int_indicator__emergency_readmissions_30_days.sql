{{ config(tags=['indicator']) }}
{#- Every live discharge is an index spell (footprint.readmissions_30_days_indicator). -#}
{{ footprint.readmissions_30_days_indicator('emergency_readmissions_30_days') }}
