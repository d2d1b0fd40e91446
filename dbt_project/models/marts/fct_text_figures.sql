select
    report_id,
    page,
    sentence,
    figure_index,
    value,
    decimals,
    unit,
    text,
    x0,
    top,
    x1,
    bottom
from {{ ref('stg_text_figures') }}
where {{ is_current_report() }}
