"""The outcome of a merge: counts, conflicts with field-by-field differences, duplicates.

:class:`MergeReport` is what the command line prints (``--json``), what the app shows in
its dialog and what :func:`write_report` saves as ``REPORT.xlsx``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldsurvey.errors import ExchangeError, FieldSurveyError
from fieldsurvey.exchange.workbook_io import ExchangeWarning, atomic_output
from fieldsurvey.exchange.xlsx_writer import XlsxWriter
from fieldsurvey.i18n import N_

OUTCOMES = ("new", "updated", "unchanged", "conflicting", "rejected")


@dataclass
class FieldDifference:
    field: str  # instance path with repeat indexes: /data/project[2]/pname
    local: str | None
    incoming: str | None
    #: The column the field shows in an export (Central's naming: ``group-question``,
    #: named inside its repeat's sheet); "" when the form does not know the field.
    column: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "column": self.column, "local": self.local,
                "incoming": self.incoming}


@dataclass
class Conflict:
    """Two laptops changed the same interview from the same revision: both are kept."""

    interview_key: str
    local_instance_id: str
    incoming_instance_id: str
    base_revision: int | None
    source_file: str
    differences: list[FieldDifference] = field(default_factory=list)
    #: The interview's name (its instanceName), to find it without its instanceID.
    display_name: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "interview_key": self.interview_key,
            "display_name": self.display_name,
            "local_instance_id": self.local_instance_id,
            "incoming_instance_id": self.incoming_instance_id,
            "base_revision": self.base_revision,
            "source_file": self.source_file,
            "differences": [d.as_dict() for d in self.differences],
        }


@dataclass
class Duplicate:
    """Interviews that share the values of the coordinator's business keys."""

    form_id: str
    keys: dict[str, str]
    interview_keys: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"form_id": self.form_id, "keys": self.keys, "interview_keys": self.interview_keys}


@dataclass
class FileResult:
    """What one file brought; ``error`` is set when the whole file was rejected."""

    path: Path
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    error: Any = None  # FieldSurveyError

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": str(self.path), **self.counts}
        if self.error is not None:
            out["error"] = self.error.as_dict()
        return out


@dataclass
class MergeReport:
    files: list[FileResult] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    warnings: list[ExchangeWarning] = field(default_factory=list)
    #: Why the report workbook could not be saved (the merge itself was).
    report_error: Any = None  # ReportNotSavedError

    @property
    def counts(self) -> dict[str, int]:
        total = dict.fromkeys(OUTCOMES, 0)
        for result in self.files:
            for key, value in result.counts.items():
                total[key] += value
        return total

    @property
    def rejected_files(self) -> list[FileResult]:
        return [f for f in self.files if f.error is not None]

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.counts,
            "files": [f.as_dict() for f in self.files],
            "conflicts": [c.as_dict() for c in self.conflicts],
            "duplicates": [d.as_dict() for d in self.duplicates],
            "warnings": [w.as_dict() for w in self.warnings],
            "report_error": self.report_error.as_dict() if self.report_error else None,
        }


class ReportNotSavedError(ExchangeError):
    """The merge was saved, but writing its report workbook failed; ``cause`` says why."""

    code = "exchange.report_not_saved"

    def __init__(self, cause: BaseException, dest: str | Path) -> None:
        if not isinstance(cause, FieldSurveyError):
            cause = ExchangeError(N_("This file or folder cannot be used: {error}"),
                                  params={"error": getattr(cause, "strerror", None) or cause},
                                  path=getattr(cause, "filename", None) or str(dest))
        self.cause = cause
        super().__init__(
            N_("The merge is saved in the database; only its report could not be written "
               "to {file}."),
            params={"file": str(dest)},
        )

    def _render(self, translate) -> str:
        return f"{super()._render(translate)}\n{self.cause._render(translate)}"

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "cause": self.cause.as_dict()}


def _leaves(elem: ET.Element, path: str, out: dict[str, str]) -> None:
    counts: dict[str, int] = {}
    children = [c for c in elem if isinstance(c.tag, str)]
    names = [c.tag.rsplit("}", 1)[-1] for c in children]
    for child, name in zip(children, names, strict=True):
        counts[name] = counts.get(name, 0) + 1
        step = f"{name}[{counts[name]}]" if names.count(name) > 1 else name
        if len(child):
            _leaves(child, f"{path}/{step}", out)
        else:
            out[f"{path}/{step}"] = child.text or ""


def instance_values(root: ET.Element) -> dict[str, str]:
    """Every leaf of an instance by its path (repeat instances indexed)."""
    out: dict[str, str] = {}
    _leaves(root, "/" + root.tag.rsplit("}", 1)[-1], out)
    return out


def differences(local: ET.Element, incoming: ET.Element) -> list[FieldDifference]:
    """Field-by-field differences between two revisions (meta ids left out)."""
    a, b = instance_values(local), instance_values(incoming)
    out = []
    for path in list(dict.fromkeys([*a, *b])):
        if "/meta/" in path:
            continue
        if a.get(path) != b.get(path):
            out.append(FieldDifference(path, a.get(path), b.get(path)))
    return out


def write_report(report: MergeReport, dest: str | Path) -> Path:
    """Save the report as a workbook: files, conflicts (one row per field), duplicates."""
    dest = Path(dest)
    with atomic_output(dest) as tmp:
        writer = XlsxWriter(tmp, report.warnings)
        files = writer.add_sheet("files")
        files.append(["file", *OUTCOMES, "error"])
        for result in report.files:
            files.append([str(result.path), *(result.counts[k] for k in OUTCOMES),
                          result.error.translated() if result.error else None])
        conflicts = writer.add_sheet("conflicts")
        conflicts.append(["interview_key", "interview", "field", "column", "local_value",
                          "incoming_value", "local_instance_id", "incoming_instance_id",
                          "base_revision", "source_file"])
        for c in report.conflicts:
            for d in c.differences or [FieldDifference("", None, None)]:
                conflicts.append([c.interview_key, c.display_name, d.field, d.column, d.local,
                                  d.incoming, c.local_instance_id, c.incoming_instance_id,
                                  c.base_revision, c.source_file])
        dups = writer.add_sheet("duplicates")
        dups.append(["form_id", "keys", "interview_keys"])
        for d in report.duplicates:
            dups.append([d.form_id, ", ".join(f"{k}={v}" for k, v in d.keys.items()),
                         ", ".join(d.interview_keys)])
        warnings = writer.add_sheet("warnings")
        warnings.append(["file", "sheet", "row", "column", "message"])
        for w in report.warnings:
            warnings.append([w.path, w.sheet, w.row, w.column, w.translated()])
        writer.save()
    return dest
