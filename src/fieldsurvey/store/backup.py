"""Rotating backups of the database with SQLite's online backup API, and restore.

A backup is a complete, consistent SQLite file (``backups/fieldsurvey-<UTC time>-<reason>
.sqlite3``) written beside its final name and renamed into place, so a crash while backing
up never leaves a half file that looks like a backup. The file being written carries its
writer's process id (``.fieldsurvey-….sqlite3.<pid>.partial``): what a killed writer left
is removed at the next backup or open, never a file that a live process is writing.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from fieldsurvey.errors import StoreError
from fieldsurvey.i18n.core import N_
from fieldsurvey.paths import DataDir
from fieldsurvey.processes import process_running
from fieldsurvey.store import schema
from fieldsurvey.store.database import StoreLock, store_error

log = logging.getLogger(__name__)

PREFIX = "fieldsurvey-"
SUFFIX = ".sqlite3"
_NAME = re.compile(r"^fieldsurvey-(\d{8}T\d{9}Z)-([a-z0-9-]+)\.sqlite3$")
#: A backup being written; without a process id it was written by an earlier version.
_PARTIAL = re.compile(r"^\.fieldsurvey-.*\.sqlite3(?:\.(\d+))?\.partial$")


def _stamp(moment: datetime | None = None) -> str:
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%S") + f"{moment.microsecond // 1000:03d}Z"


def _clean_reason(reason: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-") or "manual"


def backup_time(path: Path) -> datetime | None:
    """When a backup was taken, read from its name."""
    match = _NAME.match(path.name)
    if not match:
        return None
    return datetime.strptime(match.group(1)[:-4], "%Y%m%dT%H%M%S").replace(
        microsecond=int(match.group(1)[-4:-1]) * 1000, tzinfo=UTC
    )


def list_backups(folder: Path) -> list[Path]:
    """The backups in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if _NAME.match(p.name)]
    return sorted(found, key=lambda p: p.name[len(PREFIX) : len(PREFIX) + 19], reverse=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def partial_name(destination: Path) -> Path:
    """Where ``destination`` is written before it is renamed into place."""
    return destination.with_name(f".{destination.name}.{os.getpid()}.partial")


def copy_database(source: Path, destination: Path) -> None:
    """Copy a live database with the backup API into a new file, atomically."""
    tmp = partial_name(destination)
    tmp.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                # A backup is one self-contained file, whatever the source's journal mode.
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        _fsync(tmp)
        os.replace(tmp, destination)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def make_backup(
    database: Path, folder: Path, reason: str = "manual", *, moment: datetime | None = None
) -> Path:
    """Back ``database`` up into ``folder``; returns the new file, named after ``moment``
    (default: now)."""
    folder.mkdir(parents=True, exist_ok=True)
    remove_leftovers(folder)
    destination = folder / f"{PREFIX}{_stamp(moment)}-{_clean_reason(reason)}{SUFFIX}"
    try:
        copy_database(database, destination)
    except (sqlite3.Error, OSError) as exc:
        raise store_error(exc, database) from exc
    log.info("backed up %s to %s (%s)", database, destination, reason)
    return destination


def prune_backups(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups (at least one is kept)."""
    removed = []
    for old in list_backups(folder)[max(1, keep) :]:
        try:
            old.unlink()
            removed.append(old)
        except OSError as exc:
            log.warning("cannot delete old backup %s: %s", old, exc)
    return removed


def remove_leftovers(folder: Path) -> list[Path]:
    """Delete the partial files of backups whose writer is gone (killed mid-write).

    A file of a live process is kept, this one's included. One without a process id
    comes from an earlier version, which wrote it holding the store lock that every
    caller of this function holds now: its writer is gone.
    """
    removed = []
    try:
        names = [p for p in folder.iterdir() if _PARTIAL.match(p.name)]
    except OSError:
        return removed
    for path in names:
        pid = _PARTIAL.match(path.name).group(1)
        if pid is not None and process_running(int(pid)):
            continue
        try:
            path.unlink()
            removed.append(path)
        except OSError as exc:
            log.warning("cannot delete the unfinished backup %s: %s", path, exc)
    if removed:
        log.info("removed %d unfinished backups in %s", len(removed), folder)
    return removed


def check_backup_file(path: Path) -> str | None:
    """Raise StoreError unless ``path`` is a healthy FieldSurvey database this build reads.

    Returns its schema revision.
    """
    path = Path(path)
    if not path.is_file():
        raise StoreError(
            N_("The backup file {name} does not exist."), code="not_found", params={"name": path}
        )
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            lines = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.Error as exc:
        error = store_error(exc, path)
        if error.code != "store_corrupt":
            raise error from exc
        # The database's own words ("restore a backup", "file is not a database") do not
        # fit a file that was offered as the backup: say it once, plainly.
        log.info("%s is no healthy database: %s", path, exc)
        raise _not_a_backup(path) from exc
    if lines != ["ok"] or "interviews" not in tables:
        log.info("%s is no FieldSurvey database: %s", path, "; ".join(map(str, lines[:5])))
        raise _not_a_backup(path)
    if revision is not None and revision not in schema.known_revisions():
        raise StoreError(
            N_(
                "The file {name} was made by a newer version of FieldSurvey. Install the "
                "newer version to use it."
            ),
            code="store_newer",
            params={"name": path},
        )
    return revision


def _not_a_backup(path: Path) -> StoreError:
    return StoreError(
        N_("The file {name} is damaged or is not a FieldSurvey database."),
        code="store_corrupt",
        params={"name": path},
    )


def restore_backup(data_dir: DataDir, file: str | os.PathLike[str]) -> Path | None:
    """Replace the database with a backup; the store must not be open.

    The current database is backed up first (or, if it is too damaged to back up, moved
    aside into the backups folder), so a restore never loses anything. Returns the file
    that keeps the replaced database, or None when there was none. The next
    ``open_store`` upgrades the restored file if it is older.
    """
    source = Path(file).expanduser().resolve()
    check_backup_file(source)
    database = data_dir.database
    lock = StoreLock(data_dir.root)
    lock.acquire()
    try:
        kept = None
        if database.exists():
            kept = _keep_current(database, data_dir.backups)
        tmp_target = database.with_name(f".{database.name}.restoring")
        try:
            copy_database(source, tmp_target)
            # The WAL and shared-memory files belong to the replaced database.
            for extra in ("-wal", "-shm"):
                Path(f"{database}{extra}").unlink(missing_ok=True)
            os.replace(tmp_target, database)
        except (sqlite3.Error, OSError) as exc:
            tmp_target.unlink(missing_ok=True)
            raise store_error(exc, database) from exc
        log.info("restored %s from %s (previous kept in %s)", database, source, kept)
        return kept
    finally:
        lock.release()


def _keep_current(database: Path, folder: Path) -> Path:
    try:
        return make_backup(database, folder, "before-restore")
    except StoreError:
        # Too damaged for the backup API: keep the files themselves.
        folder.mkdir(parents=True, exist_ok=True)
        aside = folder / f"{PREFIX}{_stamp()}-damaged{SUFFIX}.keep"
        for extra in ("", "-wal", "-shm"):
            part = Path(f"{database}{extra}")
            if part.exists():
                os.replace(part, Path(f"{aside}{extra}"))
        log.warning("moved the damaged database %s aside to %s", database, aside)
        return aside
