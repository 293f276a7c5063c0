"""KoboToolbox's export layout (formpack's XLS export), as sheets of one workbook.

What formpack writes, read in kobotoolbox/formpack ``src/formpack/reporting/export.py``
(``format_one_submission``, ``get_fields_labels_tags_for_all_versions``) and its tests:

- one sheet per section: the form's main section, then one per repeat, named after it;
- field names keep their group path joined with ``/`` (the repeat's own path included in
  repeat sheets); notes are left out;
- a select_multiple gives ``q`` (the selected values) and one ``q/choice`` column per
  choice holding 1 or 0; a geopoint gives ``q`` then ``_q_latitude``, ``_q_longitude``,
  ``_q_altitude``, ``_q_precision``;
- the main sheet ends with ``_id, _uuid, _submission_time, _validation_status, _notes,
  _status, _submitted_by, __version__, _tags, _index``; ``_uuid`` is the instanceID
  without ``uuid:``, ``_submission_time`` is ISO 8601 without zone;
- each repeat row gets ``_index`` (its running number in the sheet), ``_parent_table_name``
  and ``_parent_index`` (the sheet and ``_index`` of the row it belongs to) and the parent
  submission's columns prefixed ``_submission_``.
"""

from __future__ import annotations

from typing import Any

from fieldsurvey.exchange.central_xlsx import CentralPreset, RecordInfo, iso_utc
from fieldsurvey.exchange.layout import Column, Naming, RowData, Table, build_tables

KOBO_SUBMISSION_META = (
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
)


class KoboPreset:
    """formpack's tables (see the module docstring)."""

    name = "kobo"

    def __init__(self, *, split_multiple: bool = True, group_names: bool = True) -> None:
        self.naming = Naming(
            separator="/",
            group_names=group_names,
            relative_to_repeat=False,
            include_notes=False,
            split_multiple=True,
            geo_style="kobo",
        )

    def tables(self, definitions: list, form_id: str, title: str) -> list[Table]:
        tables = build_tables(definitions, self.naming, title or form_id)
        root = tables[0]
        for name in KOBO_SUBMISSION_META:
            root.columns.append(Column(name, "meta", None, name))
        root.columns.append(Column("_index", "meta", None, "_index"))
        for table in tables[1:]:
            for name in ("_index", "_parent_table_name", "_parent_index"):
                table.columns.append(Column(name, "meta", None, name))
            for name in KOBO_SUBMISSION_META:
                table.columns.append(Column(f"_submission_{name}", "meta", None, name))
        CentralPreset.name_tables(tables, title or form_id)
        return tables

    def meta_cell(self, column: Column, row: RowData, info: RecordInfo, table: Table) -> Any:
        header = column.header
        if header == "_index":
            return row.serial
        if header == "_parent_table_name":
            return table.parent.sheet_name if table.parent else None
        if header == "_parent_index":
            return row.parent.serial if row.parent else None
        part = column.part
        if part == "_id":
            return info.serial
        if part == "_uuid":
            return info.instance_id.removeprefix("uuid:")
        if part == "_submission_time":
            return iso_utc(info.submitted_at, millis=False, zulu=False)
        if part == "_status":
            return info.status
        if part == "_submitted_by":
            return info.enumerator
        if part == "__version__":
            return info.form_version
        return None
