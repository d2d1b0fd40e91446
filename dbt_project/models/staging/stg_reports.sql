{#- organisation, organisation_number, administration and superseded_by came later than the other columns: a
    raw_reports without them (a warehouse no load has migrated yet) reads as "not known" -#}
{%- set present = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(source('arw', 'raw_reports')) -%}
        {%- do present.append(column.name | lower) -%}
    {%- endfor -%}
{%- endif %}
select
    cast(report_id as varchar) as report_id,
    trim(file_name) as file_name,
    trim(source) as source,
    trim(municipality) as municipality,
    trim(body) as body,
    trim(report_type) as report_type,
    cast(fiscal_year as integer) as fiscal_year,
    cast(page_count as integer) as page_count,
    cast(ingested_at as timestamp) as ingested_at,
    {%- for column in ['organisation', 'organisation_number', 'administration', 'superseded_by'] %}
    {% if column in present %}trim({{ column }}){% else %}cast(null as varchar){% endif %} as {{ column }},
    {%- endfor %}
    {% if 'superseded_by' in present %}superseded_by is null{% else %}true{% endif %} as is_current
from {{ source('arw', 'raw_reports') }}
