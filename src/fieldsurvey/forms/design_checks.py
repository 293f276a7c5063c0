"""Designer checks: forms that load but that ODK engines refuse or run differently.

``design_warnings(definition, folder, xlsform)`` lists, each with the sheet and row of
the XLSForm when there is one:

- a calculation that reads itself (JavaRosa refuses the form: "Cycle detected in form's
  relevant and calculation logic!", even for ``. + 1``);
- a group or repeat whose ``relevant`` reads a question inside it (JavaRosa refuses
  such a form as a cycle; other ODK engines show the group or not);
- a file that ``pulldata()`` or a ``select_*_from_file`` reads and that is not beside
  the form (its choices or values stay empty);
- a label or hint written in some languages and left empty in another.
"""

from __future__ import annotations

import logging
import re
import warnings as py_warnings
from pathlib import Path

from fieldsurvey.errors import FormError
from fieldsurvey.forms.model import FormDefinition
from fieldsurvey.forms.xform_parser import ITEMSETS_CSV
from fieldsurvey.i18n import N_

log = logging.getLogger(__name__)

_GROUP_TYPE = re.compile(r"^\s*(begin|end)[ _](group|repeat)\s*$", re.I)
_TRANSLATED = ("label", "hint")
_EXPRESSIONS = ("calculate", "relevant", "readonly", "required", "constraint", "dynamic_default")


class FormWarning(FormError):
    """Something in a questionnaire that loads but will not run as its designer expects."""

    code = "form.warning"


def design_warnings(
    definition: FormDefinition, folder: Path | None, xlsform: Path | None = None
) -> list[FormWarning]:
    """The warnings of the form; ``xlsform`` (the source workbook) gives sheets and rows."""
    graph = definition.graph
    found: list[tuple[str, FormWarning]] = []  # (template path of the item, warning)
    for comp in graph.computations if graph is not None else ():
        item = comp.item
        if comp.kind == "calculate" and item.path in comp.refs:
            message = N_(
                "The calculation of {name} reads {name} itself: "
                "ODK Collect refuses to open such a questionnaire."
            )
            found.append((item.path, FormWarning(
                message, code="form.warning.self_reference", params={"name": item.name},
                field=item.name, column="calculation",
            )))
        elif comp.kind == "relevant" and not item.is_leaf:
            inside = sorted(r for r in comp.refs if r.startswith(item.path + "/"))
            if inside:
                message = N_(
                    "The relevance of the group {name} reads {child}, a question inside it: "
                    "ODK engines do not agree on such a questionnaire."
                )
                params = {"name": item.name, "child": inside[0].rsplit("/", 1)[-1]}
                found.append((item.path, FormWarning(
                    message, code="form.warning.group_reads_child", params=params,
                    field=item.name, column="relevant",
                )))
    found.extend(_missing_files(definition, folder, bool(definition.itemsets_csv)))
    warnings = [warning for _path, warning in found]
    if xlsform is not None and (found or len(definition.languages) > 1):
        sheets = read_sheets(xlsform)
        if sheets is not None:
            rows = _rows_by_path(sheets["survey"][1], definition.root_name)
            for path, warning in found:
                warning.sheet, warning.row = "survey", rows.get(path)
            for sheet, (header, body) in sheets.items():
                warnings.extend(_untranslated(sheet, header, body))
    # In the order a designer reads the workbook
    warnings.sort(key=lambda w: (w.sheet != "survey", w.sheet or "", w.row or 0))
    return warnings


def _missing_files(
    definition: FormDefinition, folder: Path | None, generated_itemsets: bool
) -> list[tuple[str, FormWarning]]:
    found = []
    for iid, name in definition.external_instances.items():
        if name == ITEMSETS_CSV and generated_itemsets:
            continue  # made from the external_choices sheet
        if folder is not None and (folder / name).is_file():
            continue
        pattern = re.compile(rf"""(?:instance|pulldata)\(\s*['"]{re.escape(iid)}['"]""")
        for item in definition.iter_items():
            spec = item.itemset
            if spec is not None and spec.instance_id == iid:
                message = N_(
                    "The file {file} that {name} takes its choices from is not beside the "
                    "questionnaire: its choices will be empty."
                )
            elif any(pattern.search(getattr(item, a) or "") for a in _EXPRESSIONS):
                message = N_(
                    "The file {file} that {name} reads is not beside the questionnaire: "
                    "what it reads there will be empty."
                )
            else:
                continue
            found.append((item.path, FormWarning(
                message, code="form.warning.missing_file",
                params={"file": name, "name": item.name}, field=item.name,
            )))
    return found


def read_sheets(path: Path) -> dict[str, tuple[list[str], list[dict]]] | None:
    """Column names and rows (index 0 is row 2) of the survey and choices sheets."""
    try:
        from pyxform.xls2json_backends import get_xlsform

        with py_warnings.catch_warnings():
            py_warnings.simplefilter("ignore")
            workbook = get_xlsform(xlsform=str(path))
    except Exception:  # pyxform read it (or refused it) a moment ago: only places are lost
        log.debug("could not read the rows of %s", path, exc_info=True)
        return None
    return {
        sheet: (
            [str(k) for head in getattr(workbook, f"{sheet}_header", None) or () for k in head],
            list(getattr(workbook, sheet, None) or ()),
        )
        for sheet in ("survey", "choices")
    }


def _rows_by_path(survey: list[dict], root_name: str) -> dict[str, int]:
    """Template path of each named survey row -> its row number."""
    rows: dict[str, int] = {}
    stack: list[str] = []
    for index, row in enumerate(survey):
        kind = str(row.get("type") or "").strip()
        name = str(row.get("name") or "").strip()
        group = _GROUP_TYPE.match(kind)
        if group and group.group(1).lower() == "end":
            if stack:
                stack.pop()
            continue
        if name:
            rows.setdefault("/".join(["", root_name, *stack, name]), index + 2)
        if group:
            stack.append(name)
    return rows


def _untranslated(sheet: str, header: list[str], rows: list[dict]) -> list[FormWarning]:
    """Rows whose label or hint is filled in some languages and empty in others."""
    found = []
    for kind in _TRANSLATED:
        columns = {}
        for key in header:
            head, _sep, language = key.partition("::")
            if head.strip().lower() == kind:
                columns.setdefault(key, language.strip() or "default")
        if len(columns) < 2:
            continue
        for index, row in enumerate(rows):
            present = [lang for key, lang in columns.items() if str(row.get(key) or "").strip()]
            missing = [lang for key, lang in columns.items() if not str(row.get(key) or "").strip()]
            if present and missing:
                found.append(
                    FormWarning(
                        N_("{name} has a {column} in {present} but none in {missing}."),
                        code="form.warning.untranslated",
                        params={
                            "column": kind,
                            "name": str(row.get("name") or ""),
                            "present": ", ".join(present),
                            "missing": ", ".join(missing),
                        },
                        sheet=sheet,
                        row=index + 2,
                        column=kind,
                        field=str(row.get("name") or "") or None,
                    )
                )
    return found
