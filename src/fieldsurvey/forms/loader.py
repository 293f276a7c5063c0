"""Load a questionnaire file: an XLSForm (.xlsx, .xls, .csv) through pyxform, or an XForm.

``load_form(path)`` returns a :class:`LoadedForm`: the XForm text (what gets installed),
the parsed :class:`FormDefinition`, pyxform's and the engine's warnings (never printed)
and the files found beside the form. Anything wrong is a FormError that names the file,
sheet, row and column when they are known, never a traceback.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import warnings as py_warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from fieldsurvey.errors import FormError
from fieldsurvey.forms.design_checks import design_warnings, read_sheets
from fieldsurvey.forms.file_errors import file_error
from fieldsurvey.forms.model import FormDefinition, LazyChoices, template_to_text
from fieldsurvey.forms.xform_parser import ITEMSETS_CSV, parse_xform
from fieldsurvey.i18n import N_
from fieldsurvey.safe_names import (
    MEDIA_FILE,
    check_form_id,
    check_name,
    check_version,
    is_plain_form_id,
)
from fieldsurvey.zip_guard import MB, ZipLimitError, ZipLimits, inflate_all

log = logging.getLogger(__name__)

XLSFORM_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
XFORM_SUFFIXES = (".xml",)
_ROW = re.compile(r"\[row\s*:\s*(\d+|unknown)\]")
_SHEET = re.compile(r"(?:On the '(\w+)' sheet|for sheet: '(\w+)'|the (\w+) sheet)")
_UNKNOWN_TYPE = re.compile(r"Unknown question type '(.+?)'")
_COLUMN = re.compile(r"the '([\w:\- ]+)' value")
# What an XLSForm may unpack to: pyxform keeps every row in memory (measured: a form of
# 200,000 choices, a 43 MB sheet, peaks at 480 MB); the largest real forms are a few MB.
FORM_LIMITS = ZipLimits(members=1000, member_bytes=32 * MB, total_bytes=32 * MB, ratio=1000)
#: File sizes of the formats read whole (xlrd holds an .xls and its cells in memory).
FORM_FILE_LIMITS = {".xls": 8 * MB, ".csv": 32 * MB}
_MEDIA_PREFIX = re.compile(r"^jr://(?:images|audio|video|file|file-csv)/")


@dataclass
class LoadedForm:
    """A questionnaire read from a file, ready to install or to interview with."""

    xform: str
    definition: FormDefinition
    warnings: list[str]
    source_path: Path
    source_sha256: str
    media_files: dict[str, Path] = field(default_factory=dict)
    #: CSV of ``external_choices`` (select_one_external), as ODK wants it in itemsets.csv.
    itemsets_csv: str | None = None
    #: The designer checks (see forms.design_checks), with sheet and row; their English
    #: text is also in ``warnings``.
    design_warnings: list = field(default_factory=list)


def _pyxform_error(exc: Exception, path: Path) -> FormError:
    text = str(exc).strip()
    row_match = _ROW.search(text)
    row = int(row_match.group(1)) if row_match and row_match.group(1).isdigit() else None
    sheet_match = _SHEET.search(text)
    sheet = next((g for g in sheet_match.groups() if g), None) if sheet_match else None
    if sheet is None and row is not None:
        sheet = "survey"
    column_match = _COLUMN.search(text)
    return file_error(
        N_("The XLSForm {name} has an error."),
        "form.xlsform",
        path,
        detail=text,
        sheet=sheet,
        row=row,
        column=column_match.group(1) if column_match else None,
    )


def _check_xlsx_safety() -> None:
    import openpyxl

    # openpyxl parses the workbook's XML with defusedxml only when it is installed;
    # without it a crafted workbook (entity expansion) could exhaust memory.
    if not getattr(openpyxl, "DEFUSEDXML", False):
        raise FormError(
            N_("Excel workbooks cannot be read safely: the defusedxml package is missing."),
            code="form.unsafe_reader",
        )


def _check_form_zip(path: Path) -> None:
    """Refuse an .xlsx that unpacks past :data:`FORM_LIMITS`, declared or not, before
    pyxform reads it (openpyxl holds what it reads in memory, and trusts the zip)."""
    try:
        with zipfile.ZipFile(path) as archive:
            inflate_all(archive, FORM_LIMITS)
    except ZipLimitError as exc:
        raise FormError(exc.message, code="form.bomb", params=exc.params,
                        path=str(path)) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise FormError(
            N_("The file is not an Excel workbook, or it is damaged or truncated."),
            code="form.not_xlsx", path=str(path), detail=str(exc),
        ) from None


def _convert(path: Path, form_name: str | None) -> tuple[str, list[str], str | None]:
    """XLSForm -> (XForm text, warnings, itemsets CSV)."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    if path.suffix.lower() in (".xlsx", ".xlsm"):
        _check_xlsx_safety()
        # pyxform names neither the file nor the problem when an .xlsx is not a zip
        # (empty, truncated, or another file renamed): say it here.
        if not zipfile.is_zipfile(path):
            raise FormError(
                N_("The file is not an Excel workbook, or it is damaged or truncated."),
                code="form.not_xlsx",
                path=str(path),
            )
        _check_form_zip(path)
    elif path.stat().st_size > FORM_FILE_LIMITS.get(path.suffix.lower(), 0) > 0:
        raise FormError(
            N_("The file is larger than {limit} MB, far more than a questionnaire needs; it "
               "was not read."),
            code="form.too_large", path=str(path),
            params={"limit": FORM_FILE_LIMITS[path.suffix.lower()] // MB},
        )
    warnings: list[str] = []
    try:
        # openpyxl warns about styles and extensions it drops: noise for a designer
        with py_warnings.catch_warnings():
            py_warnings.simplefilter("ignore")
            result = convert(
                xlsform=str(path),
                validate=False,
                warnings=warnings,
                form_name=form_name,
                pretty_print=False,
            )
    except PyXFormError as exc:
        error = _pyxform_error(exc, path)
        unknown_type = _UNKNOWN_TYPE.search(error.detail or "")
        if error.row is None and unknown_type:  # pyxform names the type but not its row
            error.sheet, error.row = _find_row(path, unknown_type.group(1), column="type")
        raise error from None
    except FormError:
        raise
    except Exception as exc:  # a broken file: zip, XML bomb, wrong format
        log.info("pyxform failed on %s: %r", path, exc)
        raise file_error(
            N_("The file {name} cannot be read as an XLSForm."),
            "form.unreadable",
            path,
            detail=f"{type(exc).__name__}: {exc}",
        ) from None
    return result.xform, list(warnings), result.itemsets


def _find_row(
    path: Path, name: str | None, *, column: str = "name"
) -> tuple[str | None, int | None]:
    """The survey sheet row whose ``column`` is ``name`` (for errors that name a question
    or a type but not the row)."""
    if not name:
        return None, None
    sheets = read_sheets(path)  # None when unreadable: only a nicer message is lost
    for index, row in enumerate(sheets["survey"][1] if sheets else ()):
        if str(row.get(column, "")).strip() == name:
            return "survey", index + 2
    return "survey", None


def _media_files(definition: FormDefinition, folder: Path) -> dict[str, Path]:
    names: set[str] = set(definition.external_instances.values())
    for item in definition.iter_items():
        for forms in item.media.values():
            names.update(forms.values())
        if not isinstance(item.choices, LazyChoices):  # inline <item>s; lists: itext below
            for choice in item.choices or ():
                for forms in choice.media.values():
                    names.update(forms.values())
    # Choice media are itext forms: read them there rather than building every choice
    for texts in definition.itext.values():
        for forms in texts.values():
            for form, tmpl in forms.items():
                if form not in ("", "long", "short", "guidance"):
                    names.add(template_to_text(tmpl).rsplit("/", 1)[-1])
    found = {}
    for name in sorted(names):
        # The form names the file: refused, not rewritten, when it could leave the folder.
        base = check_name(_MEDIA_PREFIX.sub("", name), MEDIA_FILE, error=FormError)
        candidate = folder / base
        if candidate.is_file():
            found[candidate.name] = candidate
        elif (folder / "media" / candidate.name).is_file():
            found[candidate.name] = folder / "media" / candidate.name
    return found


def _generated_itemsets(text: str) -> Path:
    """itemsets.csv generated from the external_choices sheet, as a file to install
    with the form (ODK Central attaches it the same way)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / "fieldsurvey-itemsets" / digest
    target = folder / ITEMSETS_CSV
    if not target.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f"{ITEMSETS_CSV}.{os.getpid()}.part"
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, target)
    return target


def _check_id_and_version(definition: FormDefinition, path: Path, *, xlsform: bool,
                          warnings: list[str]) -> None:
    """The form id and version name folders of the data folder: refused when they could
    lead out of it."""
    sheet = "settings" if xlsform else None
    check_form_id(definition.form_id, error=FormError, path=str(path), sheet=sheet,
                  column="form_id" if xlsform else None)
    check_version(definition.version, error=FormError, path=str(path), sheet=sheet,
                  column="version" if xlsform else None)
    if not is_plain_form_id(definition.form_id):
        warnings.append(
            f"The form id {definition.form_id!r} has characters other than letters, digits, "
            "_ . and -; some ODK tools handle such ids badly. Without a form_id in the "
            "settings sheet, the file's name is the form id."
        )


def load_form(path: str | Path, *, form_name: str | None = None) -> LoadedForm:
    """Read an XLSForm (through pyxform, without ODK Validate) or an XForm file.

    ``form_name`` sets the root node name of an XLSForm's instance (pyxform's
    ``form_name``; default ``data``). Raises FormError on any problem.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise file_error(
            N_("The file {name} cannot be opened."), "form.io", path, detail=str(exc)
        ) from None
    digest = hashlib.sha256(raw).hexdigest()
    suffix = path.suffix.lower()
    itemsets = None
    if suffix in XFORM_SUFFIXES:
        try:
            xform = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise file_error(
                N_("The XForm {name} is not UTF-8 text."), "form.encoding", path
            ) from None
        warnings: list[str] = []
    elif suffix in XLSFORM_SUFFIXES:
        xform, warnings, itemsets = _convert(path, form_name)
    else:
        raise file_error(
            N_(
                "{name} is not a questionnaire: use an XLSForm (.xlsx, .xls, .csv) or an XForm (.xml)."
            ),
            "form.file_type",
            path,
        )
    try:
        definition = parse_xform(xform, attachments_dir=path.parent)
    except FormError as exc:
        exc.path = str(path)
        if suffix in XLSFORM_SUFFIXES and exc.row is None:
            exc.sheet, exc.row = _find_row(path, exc.field)
        raise
    _check_id_and_version(definition, path, xlsform=suffix in XLSFORM_SUFFIXES,
                          warnings=warnings)
    try:
        media = _media_files(definition, path.parent)
    except FormError as exc:
        exc.path = str(path)
        raise
    if itemsets and definition.itemsets_csv is None:
        definition.itemsets_csv = itemsets
    if itemsets and ITEMSETS_CSV not in media:
        media[ITEMSETS_CSV] = _generated_itemsets(itemsets)
    checks = design_warnings(
        definition, path.parent, path if suffix in XLSFORM_SUFFIXES else None
    )
    warnings.extend(w.english() for w in checks)
    return LoadedForm(
        xform=xform,
        definition=definition,
        warnings=warnings,
        source_path=path,
        source_sha256=digest,
        media_files=media,
        itemsets_csv=itemsets,
        design_warnings=checks,
    )
