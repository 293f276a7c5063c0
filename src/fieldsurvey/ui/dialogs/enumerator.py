"""The enumerator's name, asked before the first interview.

Every interview records who ran it (the list's Enumerator column, ``SubmitterName`` in
exports, ``--enumerator`` filters): without a name they are anonymous. The field starts
empty, never guessed from the laptop's account, which is often shared or named after
the office; the name is kept in the ``enumerator`` setting and can be changed in
Settings.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from fieldsurvey.i18n import _
from fieldsurvey.ui.text_guard import guard_line_edit


class EnumeratorDialog(QDialog):
    """Asks for the researcher's name; OK stays off until one is typed."""

    def __init__(self, settings, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("enumeratorDialog")
        self.settings = settings
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.label = QLabel(self)
        self.name = QLineEdit(self)
        self.name.setObjectName("enumeratorName")
        guard_line_edit(self.name)  # the name goes into every interview's metadata
        self.label.setBuddy(self.name)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(False)
        self.name.textChanged.connect(
            lambda text: self.ok_button.setEnabled(bool(text.strip())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.label)
        layout.addWidget(self.name)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Enumerator name"))
        self.explanation.setText(_(
            "Interviews record who ran them. Type your name as it should appear in the "
            "data; it is kept for the next interviews and can be changed in Settings."))
        self.label.setText(_("&Your name:"))
        self.name.setAccessibleName(_("Enumerator name"))

    def accept(self) -> None:
        name = " ".join(self.name.text().split())
        if not name:
            return
        self.settings.set("enumerator", name)
        super().accept()
