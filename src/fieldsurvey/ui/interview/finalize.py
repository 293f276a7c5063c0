"""The finalize summary: every unanswered required question and broken constraint, each
a link to its question. Finalizing stays refused until the list is empty."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from fieldsurvey.i18n import _, ngettext

PATH_ROLE = Qt.ItemDataRole.UserRole


class FinalizeDialog(QDialog):
    """Lists ``violations`` (engine Violations); ``jumpRequested(path)`` on activation."""

    jumpRequested = Signal(str)  # noqa: N815
    finalizeRequested = Signal()  # noqa: N815

    def __init__(self, session, violations, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("finalizeDialog")
        self.session = session
        self.violations = list(violations)
        self.summary = QLabel(self)
        self.summary.setObjectName("finalizeSummary")
        self.summary.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("violationList")
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemActivated.connect(self._jump)
        self.list.itemClicked.connect(self._jump)
        self.buttons = QDialogButtonBox(self)
        self.finalize_button = self.buttons.addButton(
            "", QDialogButtonBox.ButtonRole.AcceptRole)
        self.finalize_button.setObjectName("finalizeButton")
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.finalize_button.clicked.connect(self._finalize)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self.resize(820, 500)
        for violation in self.violations:
            kind = (_("Required") if violation.kind == "required" else _("Not valid"))
            label = session.label(violation.path) or violation.path
            text = _("{kind}: {question} — {message}").format(
                kind=kind, question=" ".join(label.split()), message=violation.message or "")
            item = QListWidgetItem(text)
            item.setData(PATH_ROLE, violation.path)
            item.setToolTip(violation.path)
            self.list.addItem(item)
        self.list.setVisible(bool(self.violations))
        self.retranslate_ui()
        if self.violations:
            self.list.setCurrentRow(0)
            self.list.setFocus()
        else:
            self.finalize_button.setFocus()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Finalize the interview"))
        n = len(self.violations)
        if n:
            self.summary.setText(ngettext(
                "This interview cannot be finalized yet: {n} question needs attention. "
                "Press Enter on it to go there.",
                "This interview cannot be finalized yet: {n} questions need attention. "
                "Press Enter on one to go there.", n).format(n=n))
        else:
            self.summary.setText(_(
                "Every required question is answered and every answer is valid. Once "
                "finalized, the interview can be exported or sent; it can be reopened "
                "for correction."))
        self.finalize_button.setText(_("Finalize"))
        self.finalize_button.setEnabled(not self.violations)

    def _jump(self, item: QListWidgetItem) -> None:
        self.jumpRequested.emit(item.data(PATH_ROLE))
        self.accept()

    def _finalize(self) -> None:
        if self.violations:
            return
        self.finalizeRequested.emit()
        self.accept()
