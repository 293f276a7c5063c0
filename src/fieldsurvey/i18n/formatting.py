"""Numbers, dates and times in the conventions of the interface language, through Babel.

Every function formats for :func:`fieldsurvey.i18n.current_language` unless ``language``
is given, so a language switch changes what the next call returns:

>>> set_language("fr"); format_number(12345.6)
'12\u202f345,6'

French groups thousands with a NARROW NO-BREAK SPACE (U+202F) and Russian with a NO-BREAK
SPACE (U+00A0): that is what CLDR (through Babel) prescribes, and it keeps a number on one
line. Spanish and Italian give ``12.345,6``, Portuguese (Brazil's conventions, CLDR's
default for ``pt``) the same, English ``12,345.6``.

:func:`parse_decimal` reads what a user types in those conventions, and accepts a plain
space where the locale groups with a no-break one, since nobody types U+202F.

No Qt here: the core may use this module (the Qt widgets use QLocale, which
:mod:`fieldsurvey.ui.i18n_qt` sets to the same language).
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal, InvalidOperation

from babel import Locale, dates, numbers

from fieldsurvey.i18n.core import current_language, gettext

__all__ = [
    "NumberParseError",
    "babel_locale",
    "decimal_symbol",
    "format_date",
    "format_datetime",
    "format_decimal",
    "format_number",
    "format_percent",
    "format_time",
    "parse_decimal",
]

#: Characters a user may type (or paste) between groups of digits.
_SPACES = (" ", "\u00a0", "\u202f", "\u2009")


class NumberParseError(ValueError):
    """Text that is not a number in the interface language's conventions; ``str()`` of it
    is a translated sentence that can be shown beside the field."""


def babel_locale(language: str | None = None) -> Locale:
    """The Babel locale of ``language`` (default: the interface language)."""
    return Locale.parse(language or current_language())


def format_number(value: int | float | Decimal, *, language: str | None = None) -> str:
    """An integer or a decimal with grouped thousands and at most three decimals:
    ``12345.6`` -> ``12.345,6`` in Spanish."""
    return numbers.format_decimal(value, locale=babel_locale(language))


def format_decimal(value: int | float | Decimal, *, decimals: int | None = None,
                   language: str | None = None) -> str:
    """A decimal; with ``decimals``, exactly that many digits after the separator
    (``format_decimal(2.5, decimals=2)`` -> ``2,50`` in French)."""
    locale = babel_locale(language)
    if decimals is None:
        return numbers.format_decimal(value, locale=locale)
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return numbers.format_decimal(value, format=pattern, locale=locale,
                                  decimal_quantization=True)


def format_percent(value: int | float | Decimal, *, language: str | None = None) -> str:
    """``0.25`` -> ``25 %`` in French, ``25%`` in English."""
    return numbers.format_percent(value, locale=babel_locale(language))


def decimal_symbol(language: str | None = None) -> str:
    """The decimal separator of ``language`` (``","`` or ``"."``)."""
    return numbers.get_decimal_symbol(babel_locale(language))


def parse_decimal(text: str, *, language: str | None = None) -> Decimal:
    """A number typed in the conventions of ``language``: ``"12.345,6"`` in Spanish,
    ``"12 345,6"`` in French, ``"12,345.6"`` in English.

    A number with no grouping at all (``"1234,5"``) is accepted everywhere. Text that is
    not a number raises :class:`NumberParseError` with a translated message.
    """
    locale = babel_locale(language)
    cleaned = text.strip()
    group = numbers.get_group_symbol(locale)
    if group in _SPACES:
        for space in _SPACES:
            cleaned = cleaned.replace(space, group)
    if not cleaned:
        raise NumberParseError(gettext("Enter a number."))
    try:
        # strict: "1.2.3" or a group in the wrong place is refused, not guessed at.
        return numbers.parse_decimal(cleaned, locale=locale, strict=True)
    except (numbers.NumberFormatError, InvalidOperation):
        pass
    raise NumberParseError(
        gettext("“{text}” is not a number (example: {example}).").format(
            text=text.strip(), example=format_decimal(1234.5, decimals=1, language=language)
        )
    )


def format_date(value: _dt.date | _dt.datetime, *, format: str = "medium",
                language: str | None = None) -> str:
    """A date: ``format`` is ``short``, ``medium``, ``long``, ``full`` or a CLDR pattern.
    ``medium`` for 2024-05-03 gives ``3 mai 2024`` in French, ``3 мая 2024 г.`` in Russian."""
    return dates.format_date(value, format=format, locale=babel_locale(language))


def format_time(value: _dt.time | _dt.datetime, *, format: str = "short",
                language: str | None = None) -> str:
    """A time of day (``short``: hours and minutes, 24-hour clock where the locale uses it)."""
    return dates.format_time(value, format=format, locale=babel_locale(language))


def format_datetime(value: _dt.datetime, *, format: str = "medium",
                    language: str | None = None, tzinfo: _dt.tzinfo | None = None) -> str:
    """A date and time. An aware ``value`` is shown in ``tzinfo`` (default: the computer's
    time zone), so that a UTC timestamp from the store reads as local time."""
    if value.tzinfo is not None:
        value = value.astimezone(tzinfo)
    return dates.format_datetime(value, format=format, locale=babel_locale(language))
