-- Every reconciliation check with its outcome: what passed is as visible as what failed.
select * from {{ ref('int_checks') }}
where {{ is_current_report() }}
