"""Errors raised by validation when a frame breaks the extraction contract as a whole."""
from __future__ import annotations


class SchemaContractError(ValueError):
    """A frame or report cannot be validated row by row (missing/unknown columns, bad report).

    Row-level problems never raise: those rows go to quarantine instead.
    """
