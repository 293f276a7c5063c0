"""Interface-language translation, without Qt.

gettext catalogs live in ``translations/<code>/LC_MESSAGES/fieldsurvey.po``. A compiled
``.mo`` beside the ``.po`` is used when it is present and up to date (the frozen bundle ships
them); otherwise the ``.po`` is compiled in memory with Babel, so a source checkout needs
no build step.

Functions look the catalog up when they are called, so a language switch takes effect for
every string translated after it. Strings that must be translated later (error templates,
titles of settings) are marked with ``N_()`` and translated where they are shown.
"""

from __future__ import annotations

import gettext as _gettext
import io
import locale
import logging
import os
import threading
from collections.abc import Callable, Mapping
from typing import Any

from fieldsurvey.resources import translations_dir

log = logging.getLogger(__name__)

DOMAIN = "fieldsurvey"
SOURCE_LANGUAGE = "en"
#: The interface languages, with their names in their own language.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "pt": "Português",
    "it": "Italiano",
    "ru": "Русский",
}

_lock = threading.Lock()
_current_code = SOURCE_LANGUAGE
_current: _gettext.NullTranslations = _gettext.NullTranslations()
_cache: dict[str, _gettext.NullTranslations] = {}
_listeners: list[Callable[[str], None]] = []


def _load_catalog(code: str) -> _gettext.NullTranslations:
    if code == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    folder = translations_dir() / code / "LC_MESSAGES"
    po = folder / f"{DOMAIN}.po"
    mo = folder / f"{DOMAIN}.mo"
    try:
        if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
            with mo.open("rb") as fh:
                return _gettext.GNUTranslations(fh)
        if po.is_file():
            from babel.messages.mofile import write_mo
            from babel.messages.pofile import read_po

            with po.open("rb") as fh:
                catalog = read_po(fh, locale=code)
            buffer = io.BytesIO()
            write_mo(buffer, catalog, use_fuzzy=False)
            buffer.seek(0)
            return _gettext.GNUTranslations(buffer)
    except Exception:  # a broken catalog must never stop the app: fall back to English
        log.exception("cannot read the %s catalog in %s", code, folder)
    return _gettext.NullTranslations()


def normalize_language(code: str | None) -> str | None:
    """``"es_MX.UTF-8"`` -> ``"es"``; None when the language is not one of ours."""
    if not code:
        return None
    base = code.replace("-", "_").split(".")[0].split("_")[0].lower()
    return base if base in LANGUAGES else None


def system_language() -> str:
    """The operating system's language if it is one of the six, else English."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for part in os.environ.get(var, "").split(":"):
            code = normalize_language(part)
            if code:
                return code
    try:
        code = normalize_language(locale.getlocale()[0])
    except ValueError:
        code = None
    return code or SOURCE_LANGUAGE


def set_language(code: str) -> str:
    """Switch the interface language; returns the code in force (English if unknown)."""
    global _current, _current_code
    normalized = normalize_language(code) or SOURCE_LANGUAGE
    with _lock:
        if normalized not in _cache:
            _cache[normalized] = _load_catalog(normalized)
        _current = _cache[normalized]
        _current_code = normalized
        listeners = list(_listeners)
    for listener in listeners:
        listener(normalized)
    return normalized


def current_language() -> str:
    return _current_code


def add_language_listener(callback: Callable[[str], None]) -> None:
    """Call ``callback(code)`` after every language switch (the Qt adapter uses this)."""
    _listeners.append(callback)


def remove_language_listener(callback: Callable[[str], None]) -> None:
    if callback in _listeners:
        _listeners.remove(callback)


def reload_catalogs() -> None:
    """Forget loaded catalogs (after the .po files were edited or compiled)."""
    with _lock:
        _cache.clear()
    set_language(_current_code)


def gettext(message: str) -> str:
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _current.pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return _current.npgettext(context, singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for extraction without translating it now."""
    return message


class Translatable(str):
    """A word marked with ``N_()`` that is put into another message through its params
    (an interview's status in an error): it reads as English in logs and is translated
    where the message is shown, so the core never needs to know the interface language.
    """


def translate_params(
    params: Mapping[str, Any], translate: Callable[[str], str] | None = None
) -> dict[str, Any]:
    """``params`` with each :class:`Translatable` value passed through ``translate``
    (the interface language's ``gettext`` unless told; an identity keeps English)."""
    translate = translate or gettext
    return {
        key: translate(str(value)) if isinstance(value, Translatable) else value
        for key, value in params.items()
    }


_ = gettext
