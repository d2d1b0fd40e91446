{#- organisation and organisation_number came later than the other columns: a raw_reports
    without them (a warehouse no load has migrated yet) reads as "not known" -#}
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
    {% if 'organisation' in present %}trim(organisation){% else %}cast(null as varchar){% endif %} as organisation,
    {% if 'organisation_number' in present %}trim(organisation_number){% else %}cast(null as varchar){% endif %} as organisation_number
from {{ source('arw', 'raw_reports') }}
