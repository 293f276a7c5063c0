"""A rotating log file in the data folder, and the hook that logs uncaught exceptions."""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import sys
from pathlib import Path
from typing import TextIO

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

#: Where a fatal error (a crash inside Qt, "Fatal Python error") writes its traceback: a
#: file of its own beside the log, since the log's rotation renames files under it.
CRASH_LOG = "fatal-errors.log"
_crash_file: TextIO | None = None


class _OneLineFormatter(logging.Formatter):
    """A message without its traceback: the console gets one plain line, the log file
    (formatted separately) keeps the details."""

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        try:
            return super().format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved


def setup_logging(log_file: Path, *, verbose: bool = False) -> None:
    """Log to ``log_file`` (1 MB x 5 files) and warnings to stderr."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_fieldsurvey", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
        file_handler.setFormatter(logging.Formatter(FORMAT))
        file_handler._fieldsurvey = True  # type: ignore[attr-defined]
        root.addHandler(file_handler)
    except OSError as exc:  # read-only or full disk: keep working without a log file
        print(f"FieldSurvey: cannot write the log file {log_file}: {exc}", file=sys.stderr)
    _record_fatal_errors(log_file.parent / CRASH_LOG)
    stderr_handler = logging.StreamHandler()
    stderr_handler.setLevel(logging.DEBUG if verbose else logging.WARNING)
    brief = logging.Formatter if verbose else _OneLineFormatter
    stderr_handler.setFormatter(brief("%(levelname)s: %(message)s"))
    stderr_handler._fieldsurvey = True  # type: ignore[attr-defined]
    root.addHandler(stderr_handler)


def log_uncaught(exc_type, exc, tb) -> None:
    logging.getLogger("fieldsurvey").critical(
        "uncaught exception", exc_info=(exc_type, exc, tb)
    )


def _record_fatal_errors(path: Path) -> None:
    """Let a crash that Python cannot catch (a segmentation fault in Qt, a fatal error)
    leave its traceback in ``path``: without it a windowed app vanishes without a word."""
    global _crash_file
    if faulthandler.is_enabled() and _crash_file is None:
        return  # already on (python -X faulthandler, a test runner): keep its choice
    try:
        crash_file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - open for the process
    except OSError:
        return
    faulthandler.enable(file=crash_file, all_threads=True)
    if _crash_file is not None:
        _crash_file.close()
    _crash_file = crash_file
