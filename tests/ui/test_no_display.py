"""Started where no window can open, the application says why in one sentence."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Windows always has a display")
def test_without_a_display_one_clear_sentence_and_status_1(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run(
        [sys.executable, "-m", "fieldsurvey", "--data-dir", str(tmp_path / "data")],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines == [
        "FieldSurvey needs a graphical desktop, and none was found (DISPLAY is not set): "
        "start it from a desktop session, or use the command line (fieldsurvey --help)."
    ]


def test_the_display_check_names_no_problem_where_qt_is_told_the_platform():
    from fieldsurvey.ui.app import display_problem

    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
    if sys.platform.startswith("linux"):
        assert "DISPLAY" in display_problem({})
