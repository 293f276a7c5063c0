"""fieldsurvey.store: the SQLite database on the laptop (Qt-free core).

``open_store(data_dir)`` gives a :class:`Store`; see its methods for forms, interviews,
lists, backups and the bulk path (``store.transaction()`` + ``store.import_revision``).
"""

import importlib
from typing import TYPE_CHECKING

# The names below are imported on first use: a process that only needs a light part of
# the store (a merge worker reading instance XML) does not pay for SQLAlchemy and Alembic.
_HOMES = {
    "AuditEvent": "audit", "to_odk_csv": "audit",
    "check_backup_file": "backup", "list_backups": "backup", "restore_backup": "backup",
    "open_store": "opening", "Store": "repository",
    **dict.fromkeys(
        ["STATUS_LABELS", "CheckProblem", "CheckReport", "InstalledForm", "InstallResult",
         "InterviewRecord", "InterviewStatus", "InterviewSummary", "RevisionRecord",
         "status_label", "status_param"], "records"),
}

if TYPE_CHECKING:
    from fieldsurvey.store.audit import AuditEvent, to_odk_csv
    from fieldsurvey.store.backup import check_backup_file, list_backups, restore_backup
    from fieldsurvey.store.opening import open_store
    from fieldsurvey.store.records import (
        STATUS_LABELS,
        CheckProblem,
        CheckReport,
        InstalledForm,
        InstallResult,
        InterviewRecord,
        InterviewStatus,
        InterviewSummary,
        RevisionRecord,
        status_label,
        status_param,
    )
    from fieldsurvey.store.repository import Store


__all__ = [
    "STATUS_LABELS",
    "AuditEvent",
    "CheckProblem",
    "CheckReport",
    "InstallResult",
    "InstalledForm",
    "InterviewRecord",
    "InterviewStatus",
    "InterviewSummary",
    "RevisionRecord",
    "Store",
    "check_backup_file",
    "list_backups",
    "open_store",
    "restore_backup",
    "status_label",
    "status_param",
    "to_odk_csv",
]


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
