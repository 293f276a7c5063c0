"""Fixtures of the engine tests: write an XLSForm inline and load it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from xlsform import write_xlsform  # noqa: E402


@pytest.fixture
def make_form(tmp_path):
    """``make_form(survey, choices=None, settings=None)`` -> LoadedForm."""
    from fieldsurvey.forms import load_form

    counter = iter(range(1000))

    def build(survey, choices=None, settings=None, **sheets):
        path = write_xlsform(
            tmp_path / f"form{next(counter)}.xlsx", survey, choices, settings, **sheets
        )
        return load_form(path)

    return build


@pytest.fixture
def session_of(make_form):
    """``session_of(survey, ...)`` -> a FormSession with a fixed clock."""
    from fieldsurvey.forms import FormSession

    def build(survey, choices=None, settings=None, **kwargs):
        loaded = make_form(survey, choices, settings)
        return FormSession(
            loaded.definition, now="2024-05-01T10:00:00+02:00", device_id="dev-1", **kwargs
        )

    return build
