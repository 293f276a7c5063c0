"""Export the interviews of a questionnaire to an Excel workbook (ODK Central's layout
or Kobo's) or Central's CSV zip, off the GUI thread, then show what was written."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from fieldsurvey.i18n import _, ngettext
from fieldsurvey.ui.dialogs.report_view import OperationDialog, warning_text

PRESETS = {
    "central": ("xlsx", lambda: _("Excel workbook, ODK Central layout")),
    "kobo": ("xlsx", lambda: _("Excel workbook, KoboToolbox layout")),
    "central-csv": ("zip", lambda: _("CSV files in a zip, ODK Central layout")),
}


class ExportDialog(OperationDialog):
    def __init__(self, store, settings, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.store = store
        self.settings = settings
        self.report = None
        self.form = QComboBox(self)
        for form in store.list_forms():
            self.form.addItem(form.title or form.form_id, form.form_id)
        self.preset = QComboBox(self)
        for key, (_suffix, title) in PRESETS.items():
            self.preset.addItem(title(), key)
        self.only_new = QCheckBox(self)
        self.include_drafts = QCheckBox(self)
        self.include_drafts.setChecked(False)
        self.dest = QLineEdit(self)
        self.dest.setObjectName("exportDestination")
        browse = QPushButton(_("Browse…"), self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.dest, 1)
        row.addWidget(browse)
        layout_form = QFormLayout()
        layout_form.addRow(_("Questionnaire"), self.form)
        layout_form.addRow(_("Format"), self.preset)
        layout_form.addRow("", self.only_new)
        layout_form.addRow("", self.include_drafts)
        layout_form.addRow(_("File"), row)
        self.only_new.setText(_("Only interviews not exported yet"))
        self.include_drafts.setText(_("Include drafts"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.export_button = self.buttons.addButton(_("Export"),
                                                    QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.setObjectName("exportButton")
        self.export_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(layout_form)
        layout.addWidget(self.progress)
        layout.addWidget(self.result, 1)
        layout.addWidget(self.buttons)
        self.setWindowTitle(_("Export interviews"))
        self.resize(640, 420)
        self.form.currentIndexChanged.connect(self._suggest)
        self.preset.currentIndexChanged.connect(self._suggest)
        self._suggest()

    def _suggest(self) -> None:
        form_id = self.form.currentData() or "export"
        suffix = PRESETS[self.preset.currentData()][0]
        folder = Path(self.dest.text()).parent if self.dest.text() else Path.home()
        self.dest.setText(str(folder / f"{form_id}.{suffix}"))

    def _browse(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, _("Export to"), self.dest.text())
        if path:
            self.dest.setText(path)

    def start(self):
        """Run the export in a worker; the report appears in the dialog."""
        from fieldsurvey.exchange.export import export_workbook

        form_id = self.form.currentData()
        if not form_id:
            self.result.show_lines([_("Install a questionnaire first.")])
            return None
        dest = self.dest.text().strip()
        preset = self.preset.currentData()
        only_new = self.only_new.isChecked()
        drafts = self.include_drafts.isChecked()
        return self.run(
            lambda progress, cancel: export_workbook(
                self.store, form_id, dest, preset=preset, only_not_exported=only_new,
                include_drafts=drafts, progress=progress, cancel=cancel),
            title=_("Exporting"), button=self.export_button,
            first_line=_("Exporting…"),
            on_success=self._done, on_failure=self._failed,
        )

    def _failed(self, exc) -> None:
        from fieldsurvey.errors import CancelledError
        from fieldsurvey.ui.errors import error_text

        if isinstance(exc, CancelledError):
            self.result.show_lines([_("The export was stopped; no file was written.")])
        else:
            self.result.show_lines([_("The export failed."), error_text(exc)])

    def _done(self, report) -> None:
        self.report = report
        lines = [ngettext("Exported {n} interview to {path}.",
                          "Exported {n} interviews to {path}.",
                          report.interviews).format(n=report.interviews, path=report.path)]
        lines += [_("Sheet {sheet}: {rows} rows").format(sheet=s, rows=n)
                  for s, n in report.rows.items()]
        lines += [warning_text(w) for w in report.warnings]
        self.result.show_lines(lines)
