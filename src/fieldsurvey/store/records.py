"""What the store hands out: plain, immutable records (no database session attached)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from fieldsurvey.i18n.core import N_, Translatable, gettext, translate_params


class InterviewStatus(StrEnum):
    """Where an interview is in its life: draft → finalized → sent / exported.

    Soft deletion is a separate flag, so that undo restores the status it had.
    """

    DRAFT = "draft"
    FINALIZED = "finalized"
    SENT = "sent"
    EXPORTED = "exported"


#: What the interface calls each status (the interview list's Status column, its filter,
#: and messages that name a status): English, marked for translation.
STATUS_LABELS: dict[InterviewStatus, str] = {
    InterviewStatus.DRAFT: N_("Draft"),
    InterviewStatus.FINALIZED: N_("Finalized"),
    InterviewStatus.SENT: N_("Sent"),
    InterviewStatus.EXPORTED: N_("Exported"),
}


def status_label(status: InterviewStatus | str) -> str:
    """The status as the interface names it, in the current interface language; an
    unknown code is returned as it is."""
    return gettext(status_param(status))


def status_param(status: InterviewStatus | str) -> Translatable:
    """The status's label for an error's ``params``: English in logs, translated where
    the error is shown."""
    code = getattr(status, "value", status)
    return Translatable(STATUS_LABELS.get(code, code))


@dataclass(frozen=True)
class InstalledForm:
    """One installed version of a questionnaire."""

    form_id: str
    version: str | None
    title: str
    languages: list[str]
    default_language: str | None
    xform: str
    source_sha256: str
    source_name: str
    installed_at: datetime
    interview_count: int = 0
    counts_by_status: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class InstallResult:
    """The outcome of ``Store.install_form`` (``form`` is None when ``error`` is set:
    only ``install_bundled_forms`` reports failures this way instead of raising)."""

    form: InstalledForm | None
    is_new_form: bool
    is_new_version: bool
    already_installed: bool
    warnings: list[str] = field(default_factory=list)
    source_path: Path | None = None
    error: Exception | None = None


@dataclass(slots=True)
class InterviewSummary:
    """An interview without its XML (what lists show). A snapshot: changing it changes
    nothing in the database (not frozen, because lists build tens of thousands)."""

    instance_id: str
    interview_key: str
    form_id: str
    form_version: str | None
    status: InterviewStatus
    display_name: str
    enumerator: str | None
    device_id: str | None
    created_at: datetime
    modified_at: datetime
    finalized_at: datetime | None
    sent_at: datetime | None
    exported_at: datetime | None
    revision: int
    deprecated_id: str | None
    deleted: bool
    error_count: int


@dataclass(slots=True)
class InterviewRecord(InterviewSummary):
    """An interview with its instance XML."""

    xml: str = ""


@dataclass(frozen=True)
class RevisionRecord:
    """A kept revision of an interview (each finalized or imported version)."""

    id: int
    interview_key: str
    instance_id: str
    deprecated_id: str | None
    revision: int
    form_id: str
    form_version: str | None
    status: str
    display_name: str
    finalized_at: datetime | None
    source: str
    source_device: str | None
    recorded_at: datetime
    xml: str


@dataclass(frozen=True)
class CheckProblem:
    """One problem ``db check`` found: an English template marked with ``N_()`` and the
    values of its placeholders, translated where it is shown (as errors are)."""

    code: str
    message: str
    params: tuple[tuple[str, Any], ...] = ()

    def english(self) -> str:
        """The problem in English (logs)."""
        return self.message.format(**dict(self.params))

    def translated(self) -> str:
        """The problem in the current interface language."""
        return gettext(self.message).format(**translate_params(dict(self.params)))

    def __str__(self) -> str:
        return self.english()


@dataclass(frozen=True)
class CheckReport:
    """The health of the database, as ``fieldsurvey db check`` prints it; ``as_dict``
    gives the problems translated (the ``--json`` output)."""

    path: Path
    ok: bool
    problems: list[CheckProblem]
    schema_revision: str | None
    newest_schema: str
    size_bytes: int
    forms: int
    interviews: int
    counts_by_status: dict[str, int]
    missing_attachments: list[str]

    def as_dict(self) -> dict:
        return {
            "path": str(self.path),
            "ok": self.ok,
            "problems": [problem.translated() for problem in self.problems],
            "schema_revision": self.schema_revision,
            "newest_schema": self.newest_schema,
            "size_bytes": self.size_bytes,
            "forms": self.forms,
            "interviews": self.interviews,
            "counts_by_status": self.counts_by_status,
            "missing_attachments": self.missing_attachments,
        }
