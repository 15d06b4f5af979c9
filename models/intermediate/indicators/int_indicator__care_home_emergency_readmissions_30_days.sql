{{ config(tags=['indicator']) }}
{#- emergency_readmissions_30_days restricted to care-home residents: index spells of
    people admitted from a care home or discharged to one (source or destination 54, 65
    or 85; hospice 88 excluded, as for care_home_emergency_admissions). -#}
{{ footprint.readmissions_30_days_indicator('care_home_emergency_readmissions_30_days',
    'is_admitted_from_care_home or is_discharged_to_care_home') }}
