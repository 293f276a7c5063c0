"""The installed questionnaires: title, version, languages, number of interviews.

Questionnaires are installed from a file (button, menu or drag and drop onto the window);
the loader's errors are shown with their sheet and row, and a new version of an
installed questionnaire is reported as such.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldsurvey.i18n import _

FORM_FILE_SUFFIXES = (".xlsx", ".xls", ".csv", ".xml")


def language_names(languages) -> str:
    """``["English (en)", "Español (es)"]`` -> ``English, Español``."""
    names = [lang.split(" (")[0] for lang in languages or [] if lang != "default"]
    return ", ".join(names) or "—"


class FormsPanel(QWidget):
    """Table of installed questionnaires (latest version of each)."""

    newInterviewRequested = Signal(str, object)  # noqa: N815 - form_id, version
    installRequested = Signal()  # noqa: N815
    selectionChanged = Signal()  # noqa: N815

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = QLabel(self)
        self.title.setObjectName("panelTitle")
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("formsTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemActivated.connect(lambda _i: self._new_interview())
        self.table.itemSelectionChanged.connect(self.selectionChanged.emit)
        self.install_button = QPushButton(self)
        self.install_button.clicked.connect(self.installRequested.emit)
        self.new_button = QPushButton(self)
        self.new_button.setObjectName("newInterviewButton")
        self.new_button.clicked.connect(self._new_interview)
        self.drop_hint = QLabel(self)
        self.drop_hint.setObjectName("hint")
        buttons = QHBoxLayout()
        buttons.addWidget(self.title)
        buttons.addStretch(1)
        buttons.addWidget(self.drop_hint)
        buttons.addWidget(self.install_button)
        buttons.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self._forms: list = []
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Questionnaires"))
        self.table.setHorizontalHeaderLabels(
            [_("Title"), _("Version"), _("Languages"), _("Interviews")]
        )
        self.table.setAccessibleName(_("Installed questionnaires"))
        self.install_button.setText(_("Install questionnaire…"))
        self.new_button.setText(_("New interview"))
        self.drop_hint.setText(_("or drop an XLSForm file here"))

    def set_forms(self, forms) -> None:
        """Show ``forms`` (InstalledForm records), keeping the selection."""
        selected = self.selected_form()
        self._forms = list(forms)
        self.table.setRowCount(len(self._forms))
        for row, form in enumerate(self._forms):
            values = [
                form.title or form.form_id,
                form.version or "—",
                language_names(form.languages),
                str(form.interview_count),
            ]
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setToolTip(_("Form ID: {form_id}").format(form_id=form.form_id))
                if column == 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        if selected is not None:
            self.select_form(selected.form_id)
        elif self._forms:
            self.table.selectRow(0)
        self.new_button.setEnabled(bool(self._forms))

    def forms(self) -> list:
        return list(self._forms)

    def selected_form(self):
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = rows[0].row()
        return self._forms[row] if row < len(self._forms) else None

    def select_form(self, form_id: str) -> None:
        for row, form in enumerate(self._forms):
            if form.form_id == form_id:
                self.table.selectRow(row)
                return

    def _new_interview(self) -> None:
        form = self.selected_form()
        if form is not None:
            self.newInterviewRequested.emit(form.form_id, form.version)
