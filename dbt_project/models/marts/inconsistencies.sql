-- The figures that disagree beyond rounding in the current version of every report, with both
-- sides and where they are printed (int_findings). Empty for a consistent report.
select * from {{ ref('int_findings') }}
where {{ is_current_report() }}
