"""File names from outside (a form id, a media file a server lists, an attachment an
interview names, a member of an archive) turned into paths that stay in their folder.

A name that must round-trip (the instance names the attachment, the form names its media
file) is refused when unsafe; a name that only labels a file we name ourselves (a form's
media folder) is reduced to a safe one with :func:`safe_label`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fieldsurvey.errors import FieldSurveyError
from fieldsurvey.i18n.core import N_, Translatable

FORM_ID = Translatable(N_("form id"))
VERSION = Translatable(N_("form version"))
MEDIA_FILE = Translatable(N_("media file"))
ATTACHMENT = Translatable(N_("attachment"))
ARCHIVE_MEMBER = Translatable(N_("archive member"))

#: Bytes, the tightest of the usual file systems (ext4; NTFS counts 255 UTF-16 units).
MAX_NAME_BYTES = 255
_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{n}" for n in "123456789¹²³"}
    | {f"LPT{n}" for n in "123456789¹²³"}
)
_WINDOWS_FORBIDDEN = set('<>:"|?*')
_EMPTY = N_("it is empty")
_TOO_LONG = N_("it is longer than 255 bytes")
_SEPARATOR = N_("it contains a folder separator (/ or \\)")
_CONTROL = N_("it contains a control character")
_DOTS = N_("it contains two dots in a row (..)")
#: What no id or version has any business holding.
_HOSTILE = frozenset({
    _EMPTY,
    _SEPARATOR,
    _CONTROL,
    _DOTS,
    _TOO_LONG,
})
# Letters, digits and _ first; then also . and -: an XML-name-like id, as ODK forms use.
_FORM_ID = re.compile(r"[^\W][\w.\-]*")


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a file name inside a folder (an English template), or None."""
    if not name:
        return _EMPTY
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return _TOO_LONG
    if "/" in name or "\\" in name:
        return _SEPARATOR
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        return _CONTROL
    if ".." in name:
        return _DOTS
    if any(ch in _WINDOWS_FORBIDDEN for ch in name):
        return N_('it contains a character Windows does not allow in file names (< > : " | ? *)')
    if name[-1] in ". ":
        return N_("it ends with a dot or a space")
    if name.split(".", 1)[0].rstrip(" ").upper() in _DEVICES:
        return N_("Windows keeps this name for a device (CON, PRN, AUX, NUL, COM1-9, LPT1-9)")
    return None


def _refuse(name: str, what: Translatable, reason: str,
            error: type[FieldSurveyError], context: dict[str, Any]) -> FieldSurveyError:
    return error(
        N_("The {what} {name} cannot be used: {reason}."),
        code="unsafe_name",
        params={"what": what, "name": repr(name), "reason": Translatable(reason)},
        **context,
    )


def check_name(name: str, what: Translatable, *,
               error: type[FieldSurveyError] = FieldSurveyError, **context: Any) -> str:
    """``name`` when it is a safe file name; else ``error`` saying why (``what`` names
    the kind of name; ``context`` is the error's path, sheet, row, column, field)."""
    reason = name_problem(name)
    if reason is not None:
        raise _refuse(name, what, reason, error, context)
    return name


def path_inside(folder: str | Path, name: str, what: Translatable, *,
                error: type[FieldSurveyError] = FieldSurveyError, **context: Any) -> Path:
    """``folder / name``, refused unless ``name`` is a safe file name and the path
    (links followed) stays strictly inside ``folder``."""
    check_name(name, what, error=error, **context)
    folder = Path(folder)
    target = folder / name
    base = folder.resolve()
    resolved = target.resolve()
    if resolved == base or not resolved.is_relative_to(base):
        raise _refuse(name, what, N_("it leads outside its folder"), error, context)
    return target


def check_form_id(form_id: str, *, error: type[FieldSurveyError] = FieldSurveyError,
                  **context: Any) -> str:
    """A form id that could walk out of a folder is refused. Other odd characters are
    reduced by :func:`safe_label` where the id names a folder: ODK Central takes any id,
    and one with spaces is common (pyxform falls back to the file's name)."""
    return _check_text(form_id, FORM_ID, error, context)


def check_version(version: str | None, *, error: type[FieldSurveyError] = FieldSurveyError,
                  **context: Any) -> str | None:
    """The same for a version (any text to ODK; Central adds ``[encrypted:…]``)."""
    return _check_text(version, VERSION, error, context) if version else version


def is_plain_form_id(form_id: str) -> bool:
    """Letters, digits, _ . - only, as ODK's form design guidelines recommend."""
    return bool(_FORM_ID.fullmatch(form_id))


def _check_text(text: str, what: Translatable, error: type[FieldSurveyError],
                context: dict[str, Any]) -> str:
    reason = name_problem(text)
    if reason in _HOSTILE:
        raise _refuse(text, what, reason, error, context)
    return text


def safe_label(text: str, fallback: str = "_") -> str:
    """A safe file name made from ``text`` (a form id or a version naming a folder):
    other characters become ``_``; Windows device names get a leading ``_``; at most 60
    characters (up to 240 bytes)."""
    cleaned = "".join(ch if ch.isalnum() or ch in "-_.+" else "_" for ch in text)
    cleaned = cleaned.strip(".")[:60].rstrip(".") or fallback
    cleaned = re.sub(r"\.{2,}", ".", cleaned)
    if name_problem(cleaned) is not None:  # a device name such as CON or com1.txt
        cleaned = f"_{cleaned}"
    return cleaned
