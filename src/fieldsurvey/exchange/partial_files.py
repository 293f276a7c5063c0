"""Temporary files of exports and reports, named so that a killed run's are recognised.

An export is written to a temporary file beside its destination (renamed when complete)
and, while being written, its sheets to a temporary folder. A run that is killed cannot
remove them, so each name says which process on which computer made it::

    .survey.xlsx.fieldsurvey-partial-<pid>-<computer>-<random>   beside survey.xlsx
    fieldsurvey-partial-<pid>-<computer>-<random>/              in the system's temp folder

and the next run removes those whose process is no longer running. One made on another
computer (a shared folder) is removed only once a day old, since its process cannot be
checked from here; the file of a run still going is never touched.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import socket
import tempfile
import time
from pathlib import Path

from fieldsurvey.processes import process_running

log = logging.getLogger(__name__)

MARK = "fieldsurvey-partial"
#: How old a leftover whose process cannot be checked must be to be removed.
MAX_AGE = 24 * 3600

# mkstemp adds letters, digits and "_"; the computer's name may hold "-", the pid cannot.
_NAME = re.compile(rf"(?:\..*\.)?{MARK}-(?P<pid>\d+)-(?P<host>.+)-[a-z0-9_]+")
# What earlier versions named them, without an owner: removed once a day old.
_OLD_FOLDER = re.compile(r"fieldsurvey-(?:xlsx|export)-[a-z0-9_]{8}")


def _computer() -> str:
    name = re.sub(r"[^A-Za-z0-9.]", "_", socket.gethostname())[:40]
    return name or "computer"


def _owner_prefix() -> str:
    return f"{MARK}-{os.getpid()}-{_computer()}-"


def partial_file(dest: Path) -> Path:
    """A new empty temporary file beside ``dest`` (same folder: the final rename is
    atomic), after removing what killed runs left in that folder."""
    folder = dest.parent
    # ".<stem>.<8 random characters>.partial" (only for this name: others may not be ours)
    old = re.compile(rf"\.{re.escape(dest.stem)}\.[a-z0-9_]{{8}}\.partial")
    remove_leftovers(folder, old=old)
    # The name is cut so that the temporary name stays within the systems' 255 limit.
    fd, name = tempfile.mkstemp(prefix=f".{dest.name[:100]}.{_owner_prefix()}", dir=folder)
    os.close(fd)
    return Path(name)


def scratch_folder() -> Path:
    """A new temporary folder for the parts of a file being written, after removing what
    killed runs left in the system's temp folder. The caller removes it when done."""
    root = Path(tempfile.gettempdir())
    remove_leftovers(root, old=_OLD_FOLDER)
    return Path(tempfile.mkdtemp(prefix=_owner_prefix(), dir=root))


def remove_leftovers(folder: Path, *, old: re.Pattern[str] | None = None) -> int:
    """Remove the temporary files and folders in ``folder`` of runs that ended without
    removing them (see the module docstring); the number removed. Names matching ``old``
    (those of earlier versions, with no owner in them) are removed once a day old."""
    removed = 0
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not _is_leftover(entry, now, old):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed += 1
            log.info("removed %s, left by an interrupted run", entry.path)
        except OSError as exc:  # in use (Windows), not ours: left for a later run
            log.info("could not remove %s, left by an interrupted run: %s", entry.path, exc)
    return removed


def _is_leftover(entry: os.DirEntry, now: float, old: re.Pattern[str] | None) -> bool:
    match = _NAME.fullmatch(entry.name) if MARK in entry.name else None
    if match is not None:
        running = _running(int(match["pid"]), match["host"])
        if running is not None:
            return not running
    elif old is None or not old.fullmatch(entry.name):
        return False
    with contextlib.suppress(OSError):
        return now - entry.stat(follow_symlinks=False).st_mtime > MAX_AGE
    return False


def _running(pid: int, computer: str) -> bool | None:
    """Whether process ``pid`` of ``computer`` is running; None when it cannot be told."""
    if computer != _computer():
        return None
    return process_running(pid)
