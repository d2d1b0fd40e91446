"""arw's extraction alone (no Prefect, no validation, no warehouse): every table of a report."""
import sys
from pathlib import Path

from extract.report import extract_report

report = extract_report(Path(sys.argv[1]))
print(f"{len(report.frame('tables'))} table cells")
