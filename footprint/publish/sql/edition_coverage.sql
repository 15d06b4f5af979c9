-- Whether a published version covers an edition's period end ($period_month, the first
-- day of the period's last month): per catalogue indicator, its latest published period
-- of the headline type (dbt's is_latest_period: the report month less the indicator's
-- lag) and how many areas have a value at the period end.
select
    catalogue.indicator_id,
    catalogue.indicator_name,
    catalogue.lag_months,
    max(case when indicator_values.is_latest_period then indicator_values.period_month end)
        as latest_period_month,
    count(distinct indicator_values.area_code) as areas,
    count(
        distinct case
            when indicator_values.period_month = $period_month then indicator_values.area_code
        end
    ) as areas_at_period_end
from sdf.sdf_indicator_catalogue as catalogue
left join sdf.sdf_indicator_values as indicator_values
    on catalogue.indicator_id = indicator_values.indicator_id
    and catalogue.headline_period_type = indicator_values.period_type
group by catalogue.display_order, catalogue.indicator_id, catalogue.indicator_name, catalogue.lag_months
order by catalogue.display_order, catalogue.indicator_id
