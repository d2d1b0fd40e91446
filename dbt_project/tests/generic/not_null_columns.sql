{#- The columns of a model that are never null, in one test: one dbt node for the model instead
    of one per column (each node costs dbt tens of milliseconds in every build). Returns the
    offending rows, with the columns found null named in `null_columns`. -#}
{% test not_null_columns(model, columns) %}
select *, concat_ws(', ',
    {%- for column in columns %}
    case when {{ adapter.quote(column) }} is null then '{{ column }}' end{{ "," if not loop.last }}
    {%- endfor %}
) as null_columns
from {{ model }}
where {% for column in columns %}{{ adapter.quote(column) }} is null{{ " or " if not loop.last }}{% endfor %}
{% endtest %}
