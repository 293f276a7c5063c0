"""The tables of the local database, as SQLAlchemy 2.0 declarative models.

These models describe the schema at the newest migration; the migrations in
``fieldsurvey/store/migrations/versions`` build it step by step, and a test checks that
both agree. Times are stored as UTC ISO 8601 text (``2024-05-01T09:30:00.123Z``) so that
they sort as text, read the same in any SQLite tool and survive a trip through Excel.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utc_now() -> datetime:
    """Now, in UTC, to the millisecond (what is stored)."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def to_utc_text(value: datetime) -> str:
    """``2024-05-01T09:30:00.123Z``; naive datetimes are taken as UTC."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    # isoformat truncates to the millisecond as strftime's [:-3] did, several times faster
    # (a merge writes seven times per interview).
    return value.isoformat(timespec="milliseconds") + "Z"


def iso_to_utc_text(text: str) -> str:
    """``to_utc_text(datetime.fromisoformat(text))``, for the times a merge reads in files;
    ValueError when ``text`` is not a time.

    What FieldSurvey exports write (``2024-05-01T09:30:00[.123000]+00:00``, checked by
    ``fromisoformat``) is cut to the stored form: formatting a datetime costs three
    times as much, seven times per merged interview.
    """
    value = datetime.fromisoformat(text)
    if (value.tzinfo is UTC and text.endswith("+00:00") and text[10] == "T"
            and text[4] == text[7] == "-" and text[13] == text[16] == ":"):
        if len(text) == 25:
            return text[:19] + ".000Z"
        if len(text) == 32 and text[19] == ".":
            return text[:23] + "Z"
    return to_utc_text(value)


def from_utc_text(text: str) -> datetime:
    """Inverse of :func:`to_utc_text`; accepts any ISO 8601 form Python reads."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is UTC:  # the stored form: no conversion (lists parse thousands)
        return value
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class UtcDateTime(TypeDecorator):
    """An aware datetime stored as UTC ISO 8601 text."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None or isinstance(value, str):
            return value
        return to_utc_text(value)

    def process_result_value(self, value, dialect):
        return None if value is None else from_utc_text(value)


class Base(DeclarativeBase):
    pass


class InstalledFormRow(Base):
    """One version of one questionnaire; every version is kept."""

    __tablename__ = "installed_forms"
    __table_args__ = (UniqueConstraint("form_id", "version", name="uq_installed_forms_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_id: Mapped[str] = mapped_column(String(255), index=True)
    # "" when the form has no version, so that the unique constraint holds.
    version: Mapped[str] = mapped_column(String(255), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    default_language: Mapped[str | None] = mapped_column(Text)
    source_name: Mapped[str] = mapped_column(Text, default="")
    source_sha256: Mapped[str] = mapped_column(String(64), index=True)
    xform_sha256: Mapped[str] = mapped_column(String(64))
    installed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    xform: Mapped[str] = mapped_column(Text)


LIST_COLUMNS = (
    "modified_at",
    "id",
    "deleted",
    "status",
    "form_id",
    "form_version",
    "instance_id",
    "interview_key",
    "display_name",
    "enumerator",
    "device_id",
    "created_at",
    "finalized_at",
    "sent_at",
    "exported_at",
    "revision",
    "deprecated_id",
    "error_count",
)


class InterviewRow(Base):
    """The current revision of one interview (earlier revisions: ``interview_revisions``)."""

    __tablename__ = "interviews"
    __table_args__ = (
        Index("ix_interviews_form", "form_id", "form_version"),
        # Cover every listed column, so lists never read the rows holding the XML.
        Index("ix_interviews_list", *LIST_COLUMNS),
        Index(
            "ix_interviews_status_list",
            "status",
            "deleted",
            *(c for c in LIST_COLUMNS if c not in ("status", "deleted")),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[str] = mapped_column(String(64), unique=True)
    # The first instanceID; it links every revision of the interview.
    interview_key: Mapped[str] = mapped_column(String(64), unique=True)
    form_pk: Mapped[int | None] = mapped_column(
        ForeignKey("installed_forms.id", ondelete="RESTRICT")
    )
    form_id: Mapped[str] = mapped_column(String(255))
    form_version: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str] = mapped_column(Text, default="")
    enumerator: Mapped[str | None] = mapped_column(Text, index=True)
    device_id: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    modified_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finalized_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    exported_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    deprecated_id: Mapped[str | None] = mapped_column(String(64))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    sent_profile: Mapped[str | None] = mapped_column(Text)
    # Lower-cased answers and display name, for the text filter (added by migration 0002).
    search_text: Mapped[str] = mapped_column(Text, default="")
    xml: Mapped[str] = mapped_column(Text)
    # JSON list of the content hashes (sha256 of the XML) this content descends from under
    # the same instanceID: a draft keeps its instanceID while it is edited, so a merge
    # tells a continued draft from a rival one by them (migration 0004).
    ancestors: Mapped[str | None] = mapped_column(Text)


class AttachmentRow(Base):
    """A file of an interview, kept in the attachments folder under its sha256."""

    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("interview_id", "filename", name="uq_attachments_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AuditRow(Base):
    """One line of the audit trail, with the columns of ODK Collect's audit log."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interview_key: Mapped[str] = mapped_column(String(64), index=True)
    instance_id: Mapped[str] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(64))
    node: Mapped[str | None] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)  # milliseconds since 1970, as ODK writes
    end: Mapped[int | None] = mapped_column(Integer)
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    user: Mapped[str | None] = mapped_column(Text)


def content_sha(xml: str) -> str:
    """The content hash of an instance: sha256 of its XML text."""
    return hashlib.sha256(xml.encode("utf-8")).hexdigest()


def hashes_of(text: str | None) -> set[str]:
    """The content hashes of an ``ancestors`` column (a JSON list; unreadable: none)."""
    try:
        found = json.loads(text) if text else []
    except ValueError:
        return set()
    return {a for a in found if isinstance(a, str)} if isinstance(found, list) else set()


def hashes_text(hashes: set[str]) -> str | None:
    """What an ``ancestors`` column holds for ``hashes``."""
    return json.dumps(sorted(hashes)) if hashes else None


def _content_sha_default(context) -> str | None:
    xml = context.get_current_parameters().get("xml")
    return None if xml is None else content_sha(xml)


class RevisionRow(Base):
    """A kept revision of an interview: each finalized version, and each imported one.

    One instanceID may hold several contents (a draft continued on two laptops): a
    revision is one content of one instanceID.
    """

    __tablename__ = "interview_revisions"
    __table_args__ = (
        UniqueConstraint("instance_id", "content_sha", name="uq_interview_revisions_content"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interview_key: Mapped[str] = mapped_column(String(64), index=True)
    instance_id: Mapped[str] = mapped_column(String(64), index=True)
    # sha256 of ``xml``, written with every revision (filled by migration 0004 for older ones).
    content_sha: Mapped[str | None] = mapped_column(String(64), default=_content_sha_default)
    # JSON list of the content hashes this one descends from (see InterviewRow.ancestors).
    ancestors: Mapped[str | None] = mapped_column(Text)
    deprecated_id: Mapped[str | None] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(Integer)
    form_id: Mapped[str] = mapped_column(String(255))
    form_version: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str] = mapped_column(Text, default="")
    enumerator: Mapped[str | None] = mapped_column(Text)
    device_id: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    modified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finalized_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Where it came from: "local", or the file name of an import.
    source: Mapped[str] = mapped_column(Text, default="local")
    source_device: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    xml: Mapped[str] = mapped_column(Text)


class MergeConflictRow(Base):
    """Two revisions of one interview that changed the same answers differently."""

    __tablename__ = "merge_conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interview_key: Mapped[str] = mapped_column(String(64), index=True)
    base_revision: Mapped[int | None] = mapped_column(Integer)
    local_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("interview_revisions.id", ondelete="SET NULL")
    )
    incoming_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("interview_revisions.id", ondelete="SET NULL")
    )
    differences: Mapped[str] = mapped_column(Text, default="[]")  # JSON
    source_file: Mapped[str | None] = mapped_column(Text)
    detected_at: Mapped[datetime] = mapped_column(UtcDateTime)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolution: Mapped[str | None] = mapped_column(Text)


class SyncAttemptRow(Base):
    """One try at sending an interview to a server, kept whatever the outcome."""

    __tablename__ = "sync_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[str] = mapped_column(String(64), index=True)
    profile: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text)
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_text: Mapped[str | None] = mapped_column(Text)
    ok: Mapped[bool] = mapped_column(Boolean)
    attempted_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ExportRow(Base):
    """An interview written to an export file."""

    __tablename__ = "exports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[str] = mapped_column(String(64), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    form_id: Mapped[str] = mapped_column(String(255))
    file: Mapped[str | None] = mapped_column(Text)
    exported_at: Mapped[datetime] = mapped_column(UtcDateTime)
