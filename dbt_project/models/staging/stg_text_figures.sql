select
    cast(report_id as varchar) as report_id,
    cast(page as integer) as page,
    cast(sentence as varchar) as sentence,
    cast(figure_index as integer) as figure_index,
    cast(value as double) as value,
    cast(decimals as integer) as decimals,
    trim(unit) as unit,
    cast(text as varchar) as text,
    cast(x0 as double) as x0,
    cast(top as double) as top,
    cast(x1 as double) as x1,
    cast(bottom as double) as bottom
from {{ source('arw_text', 'raw_text_figures') }}
