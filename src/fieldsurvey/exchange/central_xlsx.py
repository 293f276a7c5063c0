"""ODK Central's table layout (its "CSV export"), as sheets of one workbook.

What Central writes, read in getodk/central-backend ``lib/data/briefcase.js`` (the
streaming CSV export behind ``submissions.csv.zip``) and its tests
(``test/integration/api/submissions.js``):

- ``KEY`` is the submission's instanceID as Central keeps it: the first one, unchanged
  by edits (``writeMetadata`` writes ``submission.instanceId``, and repeat keys are built
  from it too, in ``processRow``; an edit is a new version of the same submission,
  still addressed as ``/submissions/<first instanceID>``, and counted in ``Edits``). The
  current version's instanceID is the ``meta-instanceID`` column;
- the root table starts with ``SubmissionDate`` (``submission.createdAt``: when the first
  version reached the server, unchanged by edits, written with JavaScript's
  ``toISOString()``: ``2024-05-01T12:34:56.789Z``; here the first finalize time, see
  :func:`fieldsurvey.exchange.export.first_submission_time`), then every field of the
  form in document order (groups flattened, their names joined with ``-``), then ``KEY``
  (the instanceID), ``SubmitterID``, ``SubmitterName``, ``AttachmentsPresent``,
  ``AttachmentsExpected``, ``Status``, ``ReviewState``, ``DeviceID``, ``Edits``,
  ``FormVersion``;
- ``meta/instanceID`` is an ordinary field of the form, so it appears as
  ``meta-instanceID`` where pyxform puts the ``meta`` group (last); notes are ordinary
  string fields and appear as (empty) columns;
- a geopoint becomes ``q-Latitude``, ``q-Longitude``, ``q-Altitude``, ``q-Accuracy``;
- each repeat is a table of its own, named ``<formId>-<repeat>`` (``~1``, ``~2`` appended
  to every repeat whose name is used more than once, in depth-first order); its columns are
  the repeat's fields named relative to the repeat, then ``PARENT_KEY`` and ``KEY``;
  ``KEY`` is ``<instanceID>/<group…>/<repeat>[n]`` with n counted within the parent, and
  ``PARENT_KEY`` is the ``KEY`` of the nearest enclosing repeat instance, or the
  instanceID for a repeat at the top.
- Central's ``splitSelectMultiples`` keeps the ``q`` column and adds ``q/choice`` columns
  holding 1 or 0 (empty when the question has no answer); ``groupPaths=false`` drops the
  group names.

In the workbook the root sheet is named after the form id and each repeat sheet after the
repeat (Excel's 31-character limit applied by the writer, with a warning).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fieldsurvey.exchange.layout import Column, Naming, RowData, Table, build_tables

CENTRAL_META = (
    "KEY",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "ReviewState",
    "DeviceID",
    "Edits",
    "FormVersion",
)


@dataclass
class RecordInfo:
    """What a preset's own columns show about one interview (not in its XML)."""

    instance_id: str
    submitted_at: datetime | None
    enumerator: str | None
    device_id: str | None
    form_version: str | None
    revision: int
    status: str
    attachments_present: int
    attachments_expected: int
    serial: int = 0  # 1-based position in the export (Kobo's _id)


def iso_utc(moment: datetime | None, *, millis: bool = True, zulu: bool = True) -> str | None:
    """A moment as ISO 8601 in UTC, as Central (``…T12:00:00.000Z``) or Kobo writes it."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if millis:
        text += f".{moment.microsecond // 1000:03d}"
    return text + ("Z" if zulu else "")


class CentralPreset:
    """Central's tables; ``sheet_names`` are the wanted names before Excel's rules."""

    name = "central"

    def __init__(self, *, split_multiple: bool = False, group_names: bool = True) -> None:
        self.naming = Naming(
            separator="-",
            group_names=group_names,
            relative_to_repeat=True,
            include_notes=True,
            split_multiple=split_multiple,
            geo_style="central",
        )

    def tables(self, definitions: list, form_id: str, title: str) -> list[Table]:
        tables = build_tables(definitions, self.naming, form_id)
        root = tables[0]
        root.columns.insert(0, Column("SubmissionDate", "meta", None, "SubmissionDate"))
        for name in CENTRAL_META:
            root.columns.append(Column(name, "meta", None, name))
        for table in tables[1:]:
            table.columns.append(Column("PARENT_KEY", "meta", None, "PARENT_KEY"))
            table.columns.append(Column("KEY", "meta", None, "KEY"))
        self.name_tables(tables, form_id)
        return tables

    @staticmethod
    def name_tables(tables: list[Table], form_id: str, joiner: str | None = None) -> None:
        """Root after the form id, repeats after their names, ``~n`` on clashes."""
        tables[0].sheet_name = form_id
        totals = Counter(t.name for t in tables[1:])
        seen: Counter = Counter()
        for table in tables[1:]:
            base = f"{form_id}{joiner}{table.name}" if joiner else table.name
            if totals[table.name] > 1:
                seen[table.name] += 1
                base = f"{base}~{seen[table.name]}"
            table.sheet_name = base

    def meta_cell(self, column: Column, row: RowData, info: RecordInfo, table: Table) -> Any:
        part = column.part
        if part == "KEY":
            return row.key
        if part == "PARENT_KEY":
            return row.parent.key if row.parent else None
        if part == "SubmissionDate":
            return iso_utc(info.submitted_at)
        if part == "SubmitterID":
            return None
        if part == "SubmitterName":
            return info.enumerator
        if part == "AttachmentsPresent":
            return info.attachments_present
        if part == "AttachmentsExpected":
            return info.attachments_expected
        if part == "Status":
            # Central holds no drafts; one exported on purpose must not look finished.
            return "draft" if info.status == "draft" else None
        if part == "ReviewState":
            return None
        if part == "DeviceID":
            return info.device_id
        if part == "Edits":
            return max(info.revision - 1, 0)
        if part == "FormVersion":
            return info.form_version
        return None
