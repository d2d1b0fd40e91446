"""Comparing warehouse rows with ground truth, shared by the rendering and template tests."""
from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd


def norm(v):
    """Make values comparable across dtype choices (int/float/Int64/bool/NA/None)."""
    if v is None:
        return None
    if isinstance(v, str):
        return v
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(v, bool) or type(v).__name__ in ("bool_", "bool"):
        return bool(v)
    if isinstance(v, (int, float, Decimal)) or hasattr(v, "__float__"):
        f = float(v)
        return None if math.isnan(f) else round(f, 6)
    return v
