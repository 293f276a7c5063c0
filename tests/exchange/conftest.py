"""Fixtures of the exchange tests: the sample form compiled, stores in fresh data folders.

Plain helpers live in :mod:`.samples`, imported by the test modules (a test module
importing ``conftest`` gets whichever conftest was loaded last)."""

from __future__ import annotations

import pytest

from .samples import SURVEY_MD, xform_from_md


@pytest.fixture
def orgs_xform() -> str:
    return xform_from_md(SURVEY_MD.format(version="2"))


@pytest.fixture
def store_factory(tmp_path):
    """Open stores in fresh data folders (the laptop, the coordinator's laptop, ...)."""
    from fieldsurvey.paths import DataDir
    from fieldsurvey.store import open_store

    opened = []

    def make(name: str = "laptop"):
        store = open_store(DataDir.resolve(tmp_path / name))
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()
