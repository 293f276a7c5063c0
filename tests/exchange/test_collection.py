"""The exchange tests collect in any order beside the other test folders.

A test module that imports ``conftest`` gets whichever ``conftest`` module pytest loaded
last (every test folder without ``__init__.py`` has one of that name), so collecting the
exchange tests after the engine's failed. They are a package now, with their helpers in
``samples``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_exchange_tests_collect_after_another_folders_conftest():
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "tests/exchange/test_merge.py", "tests/exchange/test_layouts.py",
         "tests/forms/test_odk_values.py"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "tests/exchange/test_merge.py::" in done.stdout
