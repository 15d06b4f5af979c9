{{ config(tags=['indicator']) }}
{#- Life expectancy at birth, males (footprint.life_expectancy_indicator). -#}
{{ footprint.life_expectancy_indicator('life_expectancy_male', '1') }}
