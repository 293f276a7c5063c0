"""Opening the store: lock, health checks, upgrade (after a backup), start backup.

Nothing is written to a database that is locked, read-only, damaged or made by a newer
version of FieldSurvey: each of those stops with a StoreError that says what to do.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from fieldsurvey.errors import StoreError
from fieldsurvey.i18n.core import N_
from fieldsurvey.paths import DataDir
from fieldsurvey.settings import Settings
from fieldsurvey.store import backup, schema
from fieldsurvey.store.database import (
    StoreLock,
    integrity_problems,
    is_read_only,
    make_engine,
    set_wal,
    translated_errors,
)
from fieldsurvey.store.repository import Store

log = logging.getLogger(__name__)

#: A start backup is skipped when the newest backup is younger than this.
START_BACKUP_INTERVAL = timedelta(hours=1)


def open_store(
    data_dir: DataDir,
    *,
    settings: Settings | None = None,
    backup_on_start: bool = True,
    automatic_backups: bool = True,
) -> Store:
    """Open (creating or upgrading) the database of a data folder.

    ``automatic_backups=False`` is for throwaway stores: no backup after finalizing or at
    close (an upgrade is still backed up first).

    Raises StoreError when another FieldSurvey has it open, or it is read-only, damaged,
    or from a newer version of the app.
    """
    try:
        data_dir.ensure()
    except OSError as exc:
        raise StoreError(
            N_("The data folder {folder} cannot be written to."),
            code="store_read_only",
            params={"folder": str(data_dir.root)},
            detail=str(exc),
        ) from exc
    settings = settings or Settings(data_dir.settings_file)
    database = data_dir.database
    if is_read_only(database):
        raise StoreError(
            N_("The database {name} is read-only; nothing can be saved."),
            code="store_read_only",
            params={"name": str(database)},
        )
    lock = StoreLock(data_dir.root)
    lock.acquire()
    # Ours now: whatever a killed backup left in the folder goes.
    backup.remove_leftovers(data_dir.backups)
    engine = make_engine(database)
    try:
        with translated_errors(database):
            _prepare(engine, data_dir, settings, backup_on_start=backup_on_start)
    except BaseException:
        engine.dispose()
        lock.release()
        raise
    return Store(data_dir, engine, lock, settings, automatic_backups=automatic_backups)


def _prepare(engine, data_dir: DataDir, settings: Settings, *, backup_on_start: bool) -> None:
    database = data_dir.database
    keep = settings.get("backups_to_keep")
    is_new = not database.exists() or database.stat().st_size == 0
    if not is_new:
        problems = integrity_problems(engine)
        if problems:
            raise StoreError(
                N_(
                    "The database {name} is damaged. Restore a backup with: "
                    "fieldsurvey db restore FILE"
                ),
                code="store_corrupt",
                params={"name": str(database)},
                detail="\n".join(problems[:10]),
            )
        revision = schema.current_revision(engine)
        if revision is None:
            if schema.has_tables(engine):
                raise StoreError(
                    N_("The file {name} is not a FieldSurvey database."),
                    code="store_corrupt",
                    params={"name": str(database)},
                )
            is_new = True
        elif revision not in schema.known_revisions():
            raise StoreError(
                N_(
                    "The database {name} was made by a newer version of FieldSurvey. Install "
                    "that version (or newer) to open it; nothing was changed."
                ),
                code="store_newer",
                params={"name": str(database)},
            )
        elif revision != schema.head_revision():
            backup.make_backup(database, data_dir.backups, f"before-upgrade-{revision}")
            backup.prune_backups(data_dir.backups, keep)
            log.info("upgrading %s from schema %s", database, revision)
        elif backup_on_start and _start_backup_due(data_dir):
            try:
                backup.make_backup(database, data_dir.backups, "start")
                backup.prune_backups(data_dir.backups, keep)
            except StoreError as exc:
                # A full disk must not keep the user from their interviews; an upgrade,
                # above, never runs without its backup.
                log.warning("start backup failed: %s", exc.english())
    set_wal(engine)
    schema.upgrade(engine)


def _start_backup_due(data_dir: DataDir) -> bool:
    backups = backup.list_backups(data_dir.backups)
    if not backups:
        return True
    taken = backup.backup_time(backups[0])
    return taken is None or datetime.now(UTC) - taken >= START_BACKUP_INTERVAL
