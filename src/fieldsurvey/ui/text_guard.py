"""Text fields that never take a character an interview cannot store.

Pasting from Word or an e-mail brings vertical tabs, form feeds and other control
characters that XML 1.0 cannot hold (see :mod:`fieldsurvey.forms.xml_chars`). The guard
cleans the field as the text arrives, keeps the cursor where it was, and calls back with
how many characters it changed so the screen can say so.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from fieldsurvey.forms.xml_chars import clean_xml_text, has_non_xml
from fieldsurvey.i18n import ngettext


def cleaned_notice(count: int) -> str:
    """What the user is told after ``count`` characters were removed or replaced."""
    return ngettext(
        "{count} character that cannot be stored (a control character from pasted text) "
        "was removed or turned into a line break.",
        "{count} characters that cannot be stored (control characters from pasted text) "
        "were removed or turned into line breaks.",
        count,
    ).format(count=count)


def guard_line_edit(edit: QLineEdit, on_cleaned: Callable[[int], None] | None = None) -> None:
    """Clean what is typed or pasted into ``edit``; connect it before any other
    ``textEdited`` slot, so those see the cleaned text."""

    def check(text: str) -> None:
        if not has_non_xml(text):
            return
        position = edit.cursorPosition()
        cleaned, count = clean_xml_text(text, line_break=" ")
        edit.setText(cleaned)
        edit.setCursorPosition(len(clean_xml_text(text[:position], line_break=" ")[0]))
        if on_cleaned is not None:
            on_cleaned(count)

    edit.textEdited.connect(check)


def guard_plain_text(edit: QPlainTextEdit,
                     on_cleaned: Callable[[int], None] | None = None) -> None:
    """Clean what is typed or pasted into ``edit``; connect it before any other
    ``textChanged`` slot, so those see the cleaned text."""

    def check() -> None:
        text = edit.toPlainText()
        if not has_non_xml(text):
            return
        position = edit.textCursor().position()
        cleaned, count = clean_xml_text(text)
        blocked = edit.blockSignals(True)  # the later slots of this change see the result
        try:
            edit.setPlainText(cleaned)
            cursor = edit.textCursor()
            cursor.setPosition(min(len(clean_xml_text(text[:position])[0]), len(cleaned)),
                               QTextCursor.MoveMode.MoveAnchor)
            edit.setTextCursor(cursor)
        finally:
            edit.blockSignals(blocked)
        if on_cleaned is not None:
            on_cleaned(count)

    edit.textChanged.connect(check)
