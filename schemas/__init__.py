"""Validation of extracted frames: pandera models plus row-level quarantine."""
from schemas.errors import SchemaContractError
from schemas.models import MODELS
from schemas.validate import (
    QUARANTINE_COLUMNS,
    ValidatedReport,
    empty_quarantine,
    validate_frame,
    validate_report,
    validate_report_row,
)

__all__ = [
    "MODELS", "QUARANTINE_COLUMNS", "SchemaContractError", "ValidatedReport", "empty_quarantine",
    "validate_frame", "validate_report", "validate_report_row",
]
