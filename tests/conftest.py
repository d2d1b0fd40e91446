"""Shared fixtures: the sample report extracted once per session."""
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("ARW_STATE_DIR", str(Path(__file__).resolve().parent.parent / ".state"))

from expected import SAMPLE_PDF  # noqa: E402


@pytest.fixture(scope="session")
def sample_report():
    from extract.report import extract_report

    return extract_report(SAMPLE_PDF)
