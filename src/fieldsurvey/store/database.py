"""The SQLite engine: pragmas, the single-instance lock, integrity checks, error mapping.

Durability comes from SQLite itself: WAL journal with ``synchronous=FULL`` makes every
commit reach the disk before it returns, so an answer whose save returned survives a
crash or a flat battery. Transactions are started by SQLAlchemy with an explicit
``BEGIN`` (pysqlite's implicit transactions are switched off), which also makes each
migration atomic.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError

from fieldsurvey.errors import StoreError
from fieldsurvey.i18n.core import N_

log = logging.getLogger(__name__)

LOCK_NAME = "fieldsurvey.lock"
BUSY_TIMEOUT_MS = 5000

#: Pragmas run on every new connection. Tests may append to it (e.g. max_page_count).
CONNECTION_PRAGMAS: list[str] = [
    "PRAGMA foreign_keys = ON",
    "PRAGMA synchronous = FULL",
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
]

# Primary SQLite result codes (the low byte of extended codes).
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26


class StoreLock:
    """An OS lock on ``fieldsurvey.lock`` in the data folder, held while a store is open.

    The operating system releases it when the process dies, so a crash never leaves a
    stale lock behind.
    """

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / LOCK_NAME
        self._fh = None

    def acquire(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fh = open(self.path, "a+b")  # noqa: SIM115 - kept open while locked
        except OSError as exc:
            raise StoreError(
                N_("The data folder {folder} cannot be written to."),
                code="store_read_only",
                params={"folder": str(self.path.parent)},
                detail=str(exc),
            ) from exc
        try:
            _lock_file(fh)
        except OSError as exc:
            fh.close()
            raise StoreError(
                N_(
                    "The database in {folder} is already open in another FieldSurvey window "
                    "or program. Close it there first."
                ),
                code="store_locked",
                params={"folder": str(self.path.parent)},
            ) from exc
        try:
            fh.seek(0)
            fh.truncate()
            fh.write(str(os.getpid()).encode())
            fh.flush()
        except OSError:
            pass  # the pid is only a hint for people looking at the folder
        self._fh = fh

    def release(self) -> None:
        if self._fh is None:
            return
        try:
            _unlock_file(self._fh)
        except OSError:
            pass
        self._fh.close()
        self._fh = None

    @property
    def held(self) -> bool:
        return self._fh is not None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock_file(fh) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock_file(fh) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock_file(fh) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock_file(fh) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def is_read_only(path: Path) -> bool:
    """True when the file (or, for a new file, its folder) cannot be written.

    The permission bits are checked as well as ``os.access`` because an administrator
    account passes ``os.access`` even for a file marked read-only.
    """
    target = path if path.exists() else path.parent
    try:
        mode = target.stat().st_mode
    except OSError:
        return False
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return True
    return not os.access(target, os.W_OK)


def make_engine(path: Path) -> Engine:
    """An engine on the database file with FieldSurvey's pragmas on every connection."""
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
        pool_pre_ping=False,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Hand transaction control to SQLAlchemy (see the module docstring).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for pragma in CONNECTION_PRAGMAS:
                cursor.execute(pragma)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN")

    return engine


def set_wal(engine: Engine) -> None:
    """Switch the file to WAL (persistent in the file; a no-op when already set)."""
    # Outside any transaction (SQLite refuses the switch inside one): the raw DB-API
    # connection is in autocommit mode, see make_engine.
    raw = engine.raw_connection()
    try:
        mode = raw.cursor().execute("PRAGMA journal_mode = WAL").fetchone()[0]
    finally:
        raw.close()
    if str(mode).lower() != "wal":
        log.warning("SQLite refused WAL mode (journal_mode=%s)", mode)


def integrity_problems(engine: Engine, *, quick: bool = False) -> list[str]:
    """The lines of ``PRAGMA integrity_check`` that are not ``ok`` (empty when healthy)."""
    pragma = "PRAGMA quick_check" if quick else "PRAGMA integrity_check"
    with engine.connect() as conn:
        lines = [str(row[0]) for row in conn.exec_driver_sql(pragma)]
        conn.rollback()
    return [line for line in lines if line.lower() != "ok"]


def sqlite_code(exc: BaseException) -> int | None:
    """The primary SQLite result code of a (wrapped) sqlite3 error, if any."""
    orig = getattr(exc, "orig", exc)
    code = getattr(orig, "sqlite_errorcode", None)
    if code is None:
        text = str(orig).lower()
        if "disk is full" in text or "database or disk is full" in text:
            return SQLITE_FULL
        if "locked" in text:
            return SQLITE_BUSY
        if "readonly" in text or "read-only" in text:
            return SQLITE_READONLY
        if "not a database" in text:
            return SQLITE_NOTADB
        if "malformed" in text:
            return SQLITE_CORRUPT
        return None
    return code & 0xFF


def _no_room_beside(path: Path) -> bool:
    """Whether the disk holding ``path`` is (almost) full."""
    try:
        return shutil.disk_usage(Path(path).parent).free < 1_000_000
    except OSError:
        return False


def store_error(exc: BaseException, path: Path) -> StoreError:
    """A user-facing StoreError for a database failure, naming the file."""
    code = sqlite_code(exc)
    name = str(path)
    detail = str(getattr(exc, "orig", exc))
    # On some filesystems (tmpfs, network drives) a full disk surfaces as an I/O error.
    disk_full = code == SQLITE_FULL or (code == SQLITE_IOERR and _no_room_beside(path))
    if disk_full or (isinstance(exc, OSError) and exc.errno == 28):
        return StoreError(
            N_(
                "The disk is full: the last change was not saved to {name}. Earlier answers "
                "are safe. Free some disk space and try again."
            ),
            code="disk_full",
            params={"name": name},
            detail=detail,
        )
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return StoreError(
            N_("The database {name} is locked by another program. Close it and try again."),
            code="store_locked",
            params={"name": name},
            detail=detail,
        )
    if code == SQLITE_READONLY:
        return StoreError(
            N_("The database {name} is read-only; nothing can be saved."),
            code="store_read_only",
            params={"name": name},
            detail=detail,
        )
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return StoreError(
            N_(
                "The database {name} is damaged or is not a FieldSurvey database. Restore a "
                "backup with: fieldsurvey db restore FILE"
            ),
            code="store_corrupt",
            params={"name": name},
            detail=detail,
        )
    if code == SQLITE_CANTOPEN:
        return StoreError(
            N_("The database {name} cannot be opened."),
            code="store_cannot_open",
            params={"name": name},
            detail=detail,
        )
    return StoreError(
        N_("The database {name} reported an error."),
        params={"name": name},
        detail=detail,
    )


@contextmanager
def translated_errors(path: Path) -> Iterator[None]:
    """Turn SQLite and disk failures inside the block into StoreError."""
    try:
        yield
    except StoreError:
        raise
    except (DBAPIError, sqlite3.Error) as exc:
        raise store_error(exc, path) from exc
    except OSError as exc:
        if exc.errno == 28:  # ENOSPC while writing a file beside the database
            raise store_error(exc, path) from exc
        raise
