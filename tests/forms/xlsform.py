"""Build small XLSForm workbooks from Python lists, so tests read like the form they use.

``write_xlsform(path, survey=[...], choices=[...], settings={...})``: each sheet is a list of
rows, the first row being the header, exactly as a form designer types them in Excel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook


def write_xlsform(
    path: Path,
    survey: Sequence[Sequence[object]],
    choices: Sequence[Sequence[object]] | None = None,
    settings: Mapping[str, object] | None = None,
    **other_sheets: Sequence[Sequence[object]],
) -> Path:
    """Write an .xlsx XLSForm and return its path."""
    wb = Workbook()
    sheet = wb.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(list(row))
    if choices:
        sheet = wb.create_sheet("choices")
        for row in choices:
            sheet.append(list(row))
    if settings:
        sheet = wb.create_sheet("settings")
        sheet.append(list(settings.keys()))
        sheet.append(list(settings.values()))
    for name, rows in other_sheets.items():
        sheet = wb.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    path = Path(path)
    wb.save(path)
    return path
