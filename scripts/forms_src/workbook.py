"""Rows of an XLSForm and the writer that turns them into a reproducible .xlsx file."""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.writer.excel import ExcelWriter

from .languages import LANGUAGES, REQUIRED

#: Fixed so that building twice gives the same bytes (the committed files are checked).
BUILD_TIME = datetime.datetime(2026, 1, 1, 0, 0, 0)
ZIP_TIME = (2026, 1, 1, 0, 0, 0)

TRANSLATED = ("label", "hint", "constraint_message", "required_message")
SURVEY_COLUMNS = (
    "type", "name", "label", "hint", "required", "required_message", "relevant",
    "constraint", "constraint_message", "calculation", "default", "appearance",
    "choice_filter", "parameters", "read_only", "repeat_count",
)  # fmt: skip


@dataclass
class FormSpec:
    """One questionnaire: its survey rows, choice rows and settings."""

    settings: dict[str, str]
    survey: list[dict] = field(default_factory=list)
    choices: list[dict] = field(default_factory=list)


def q(type_: str, name: str | None = None, label=None, hint=None, **columns) -> dict:
    """A survey row. ``required=True`` adds the standard required message."""
    row = {"type": type_}
    if name:
        row["name"] = name
    if label:
        row["label"] = label
    if hint:
        row["hint"] = hint
    required = columns.pop("required", None)
    if required:
        row["required"] = "yes" if required is True else required
        row["required_message"] = columns.pop("required_message", None) or REQUIRED
    for key, value in columns.items():
        if key not in SURVEY_COLUMNS:
            raise ValueError(f"unknown survey column {key!r} in row {name!r}")
        if value is not None:
            row[key] = value
    return row


def choice_list(list_name: str, items) -> list[dict]:
    """Choice rows from ``(name, texts)`` or ``(name, texts, extra_columns)`` tuples."""
    rows = []
    for item in items:
        name, label = item[0], item[1]
        row = {"list_name": list_name, "name": name, "label": label}
        if len(item) > 2:
            row.update(item[2])
        rows.append(row)
    return rows


def _headers(rows: list[dict], order: tuple[str, ...]) -> list[str]:
    used = {key for row in rows for key in row}
    extra = sorted(used - set(order))
    headers = []
    for key in (*order, *extra):
        if key not in used:
            continue
        if key in TRANSLATED:
            headers.extend(f"{key}::{language}" for _code, language in LANGUAGES)
        else:
            headers.append(key)
    return headers


def _cell(row: dict, header: str):
    key, _, language = header.partition("::")
    value = row.get(key)
    if language and isinstance(value, dict):
        code = next(c for c, lang in LANGUAGES if lang == language)
        return value[code]
    return value


def _write_sheet(workbook: Workbook, title: str, rows: list[dict], order) -> None:
    sheet = workbook.create_sheet(title)
    headers = _headers(rows, order)
    sheet.append(headers)
    for row in rows:
        sheet.append([_cell(row, header) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C2" if title != "settings" else None
    for index, header in enumerate(headers, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        wide = header.startswith(("label", "hint", "constraint_message", "required_message"))
        sheet.column_dimensions[letter].width = 40 if wide else 18
        if wide:
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def workbook_bytes(spec: FormSpec) -> bytes:
    """The .xlsx file of a questionnaire, byte for byte the same on every build."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    _write_sheet(workbook, "survey", spec.survey, SURVEY_COLUMNS)
    _write_sheet(workbook, "choices", spec.choices, ("list_name", "name", "label"))
    _write_sheet(workbook, "settings", [spec.settings], tuple(spec.settings))
    workbook.properties.creator = "FieldSurvey"
    workbook.properties.created = BUILD_TIME
    workbook.properties.modified = BUILD_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    # openpyxl stamps every zip entry with the current time: rewrite them with a fixed one.
    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return fixed.getvalue()


def write_workbook(spec: FormSpec, path: Path) -> None:
    path.write_bytes(workbook_bytes(spec))
