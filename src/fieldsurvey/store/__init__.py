"""fieldsurvey.store: the SQLite database on the laptop (Qt-free core).

``open_store(data_dir)`` gives a :class:`Store`; see its methods for forms, interviews,
lists, backups and the bulk path (``store.transaction()`` + ``store.import_revision``).
"""

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
