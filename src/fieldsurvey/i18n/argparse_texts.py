"""argparse's own words (``usage:``, ``options``, its error messages) in the interface
language, from our catalogs.

argparse looks its strings up through the module-level ``_`` and ``ngettext`` it imported
from :mod:`gettext`, with the ``messages`` domain that no application ships. After
:func:`install_argparse_translations`, they are answered from FieldSurvey's catalogs
(context ``argparse``) in the language in force when the text is made, so ``fieldsurvey
--lang fr --help`` is French from the first line to the last.
"""

from __future__ import annotations

import argparse

from fieldsurvey.i18n.core import npgettext, pgettext

__all__ = ["install_argparse_translations"]


def _texts() -> dict[str, str]:
    """argparse's user-facing strings (Python 3.11 to 3.13), translated now."""
    return {
        "usage: ": pgettext("argparse", "usage: "),
        "positional arguments": pgettext("argparse", "positional arguments"),
        "options": pgettext("argparse", "options"),
        "show this help message and exit": pgettext("argparse", "show this help message and exit"),
        "show program's version number and exit": pgettext(
            "argparse", "show program's version number and exit"),
        "%(prog)s: error: %(message)s\n": pgettext("argparse", "%(prog)s: error: %(message)s\n"),
        "argument %(argument_name)s: %(message)s": pgettext(
            "argparse", "argument %(argument_name)s: %(message)s"),
        "unrecognized arguments: %s": pgettext("argparse", "unrecognized arguments: %s"),
        "the following arguments are required: %s": pgettext(
            "argparse", "the following arguments are required: %s"),
        "one of the arguments %s is required": pgettext(
            "argparse", "one of the arguments %s is required"),
        "not allowed with argument %s": pgettext("argparse", "not allowed with argument %s"),
        "ignored explicit argument %r": pgettext("argparse", "ignored explicit argument %r"),
        "expected one argument": pgettext("argparse", "expected one argument"),
        "expected at most one argument": pgettext("argparse", "expected at most one argument"),
        "expected at least one argument": pgettext("argparse", "expected at least one argument"),
        "ambiguous option: %(option)s could match %(matches)s": pgettext(
            "argparse", "ambiguous option: %(option)s could match %(matches)s"),
        "invalid %(type)s value: %(value)r": pgettext(
            "argparse", "invalid %(type)s value: %(value)r"),
        "invalid choice: %(value)r (choose from %(choices)s)": pgettext(
            "argparse", "invalid choice: %(value)r (choose from %(choices)s)"),
        "unknown parser %(parser_name)r (choices: %(choices)s)": pgettext(
            "argparse", "unknown parser %(parser_name)r (choices: %(choices)s)"),
        "can't open '%(filename)s': %(error)s": pgettext(
            "argparse", "can't open '%(filename)s': %(error)s"),
    }


def _gettext(message: str) -> str:
    return _texts().get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    if singular == "expected %s argument":
        return npgettext("argparse", "expected %s argument", "expected %s arguments", n)
    return singular if n == 1 else plural


def install_argparse_translations() -> None:
    """Route argparse's strings through FieldSurvey's catalogs (idempotent)."""
    argparse._ = _gettext
    argparse.ngettext = _ngettext
