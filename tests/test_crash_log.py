"""A crash that Python cannot catch still leaves its traceback in the log folder."""

from __future__ import annotations

import subprocess
import sys


def test_a_fatal_error_writes_its_traceback_beside_the_log(tmp_path):
    log_file = tmp_path / "logs" / "fieldsurvey.log"
    script = (
        "import faulthandler, pathlib\n"
        "from fieldsurvey.logging_setup import setup_logging\n"
        f"setup_logging(pathlib.Path({str(log_file)!r}))\n"
        "def answer_saved():\n"
        "    faulthandler._sigsegv()\n"  # what a crash inside Qt looks like to Python
        "answer_saved()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0
    crash = (tmp_path / "logs" / "fatal-errors.log").read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in crash
    assert "answer_saved" in crash  # the Python frames that led to it
