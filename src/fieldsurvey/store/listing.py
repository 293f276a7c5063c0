"""Filtering interviews: the query behind every list, search and count.

Lists select the metadata columns only (never the XML), through SQLAlchemy Core, so that
listing 20,000 interviews stays well under a frame budget of a few hundred ms.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time

from sqlalchemy import Connection, Select, String, or_, select, type_coerce

from fieldsurvey.store.models import InterviewRow, from_utc_text, to_utc_text
from fieldsurvey.store.records import InterviewRecord, InterviewStatus, InterviewSummary

T = InterviewRow.__table__.c

TIME_COLUMNS = ("created_at", "modified_at", "finalized_at", "sent_at", "exported_at")

#: The columns of an InterviewSummary, in the order of its fields (rows are unpacked
#: positionally into it).
SUMMARY_NAMES = tuple(f.name for f in fields(InterviewSummary))
# The times are read as their stored text and parsed here, not by UtcDateTime: the
# TypeDecorator machinery cost more than half of listing 20,000 interviews.
SUMMARY_COLUMNS = tuple(
    type_coerce(T[name], String).label(name) if name in TIME_COLUMNS else T[name]
    for name in SUMMARY_NAMES
)

ORDERABLE = {
    "modified_at",
    "created_at",
    "finalized_at",
    "display_name",
    "status",
    "form_id",
    "enumerator",
    "revision",
}


@dataclass(frozen=True)
class InterviewFilter:
    """The filters every list and count accepts (all optional, combined with AND)."""

    form_id: str | None = None
    version: str | None = None
    status: str | InterviewStatus | list | tuple | set | None = None
    enumerator: str | None = None
    text: str | None = None
    since: datetime | date | str | None = None
    until: datetime | date | str | None = None
    only_not_exported: bool = False
    include_deleted: bool = False

    def apply(self, query: Select) -> Select:
        if self.form_id is not None:
            query = query.where(T.form_id == self.form_id)
        if self.version is not None:
            query = query.where(T.form_version == (self.version or ""))
        if self.status is not None:
            if isinstance(self.status, list | tuple | set | frozenset):
                query = query.where(T.status.in_([str(s) for s in self.status]))
            else:
                query = query.where(T.status == str(self.status))
        if self.enumerator is not None:
            query = query.where(T.enumerator == self.enumerator)
        if self.text:
            needle = _like_escape(self.text.strip().casefold())
            pattern = f"%{needle}%"
            query = query.where(
                or_(
                    T.search_text.like(pattern, escape="\\"),
                    T.instance_id.like(pattern, escape="\\"),
                    T.enumerator.like(pattern, escape="\\"),
                )
            )
        if self.since is not None:
            query = query.where(T.modified_at >= _time_text(self.since, end=False))
        if self.until is not None:
            query = query.where(T.modified_at <= _time_text(self.until, end=True))
        if self.only_not_exported:
            query = query.where(T.exported_at.is_(None))
        if not self.include_deleted:
            query = query.where(T.deleted == False)  # noqa: E712 - SQL, not Python
        return query


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _time_text(value: datetime | date | str, *, end: bool) -> str:
    """A bound as stored text; a date means the whole day (local midnight to midnight)."""
    if isinstance(value, str):
        value = from_utc_text(value) if "T" in value else date.fromisoformat(value)
    if not isinstance(value, datetime):
        moment = datetime.combine(value, time.max if end else time.min)
        value = moment.astimezone(UTC)  # a naive date is taken in the laptop's time zone
    return to_utc_text(value)


_STATUS = {status.value: status for status in InterviewStatus}


def _utc(text: str | None) -> datetime | None:
    """A stored time; the stored form (``…Z``) is parsed by the C parser alone."""
    if text is None:
        return None
    value = _fromisoformat(text)
    return value if value.tzinfo is UTC else from_utc_text(text)


_fromisoformat = datetime.fromisoformat


def summary_from_row(row) -> InterviewSummary:
    """An InterviewSummary from a row of SUMMARY_COLUMNS (lists build tens of thousands)."""
    (iid, key, form_id, version, status, name, enumerator, device,
     created, modified, finalized, sent, exported, revision, deprecated, deleted, errors) = row  # fmt: skip
    return InterviewSummary(
        iid, key, form_id, version or None, _STATUS[status], name, enumerator, device,
        _utc(created), _utc(modified), finalized and _utc(finalized), sent and _utc(sent),
        exported and _utc(exported), revision, deprecated, bool(deleted), errors,
    )  # fmt: skip


def record_from_row(row) -> InterviewRecord:
    """An InterviewRecord from a row of SUMMARY_COLUMNS followed by the XML."""
    (iid, key, form_id, version, status, name, enumerator, device,
     created, modified, finalized, sent, exported, revision, deprecated, deleted, errors,
     xml) = row  # fmt: skip
    return InterviewRecord(
        iid, key, form_id, version or None, _STATUS[status], name, enumerator, device,
        _utc(created), _utc(modified), _utc(finalized), _utc(sent), _utc(exported),
        revision, deprecated, bool(deleted), errors, xml,
    )  # fmt: skip


def fetch_plain(conn: Connection, query: Select) -> list[tuple]:
    """Every row as the driver's plain tuple, without SQLAlchemy Row objects.

    For queries over SUMMARY_COLUMNS only: their types need no result processing (the
    times are read as text and ``deleted`` is turned into a bool by the row builders).
    """
    result = conn.execute(query)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def summaries_query(
    flt: InterviewFilter,
    *,
    order_by: str = "modified_at",
    descending: bool = True,
    limit: int | None = None,
    offset: int = 0,
    with_xml: bool = False,
) -> Select:
    """The SELECT for a filtered, ordered page of interviews."""
    if order_by not in ORDERABLE:
        raise ValueError(f"cannot order interviews by {order_by!r}")
    columns = SUMMARY_COLUMNS + ((T.xml,) if with_xml else ())
    query = flt.apply(select(*columns))
    column = T[order_by]
    query = query.order_by(column.desc() if descending else column.asc(), T.id.desc())
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    return query
