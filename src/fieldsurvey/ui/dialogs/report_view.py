"""A read-only text panel for the reports of long operations (export, merge, sync)."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit


class ReportView(QPlainTextEdit):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("report")
        self.setReadOnly(True)
        self.setMinimumHeight(140)

    def show_lines(self, lines) -> None:
        self.setPlainText("\n".join(str(line) for line in lines))


def warning_text(warning) -> str:
    """An exchange warning in the interface language, with its place if known."""
    translate = getattr(warning, "translated", None)
    return translate() if callable(translate) else str(getattr(warning, "message", warning))
