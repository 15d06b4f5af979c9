{{ config(tags=['indicator']) }}
{#- Life expectancy at birth, females (footprint.life_expectancy_indicator). -#}
{{ footprint.life_expectancy_indicator('life_expectancy_female', '2') }}
