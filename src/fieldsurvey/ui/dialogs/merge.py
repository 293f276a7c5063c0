"""Merge exports from other laptops into this store and show the merge report (new,
updated, unchanged, conflicting, rejected; conflicts and likely duplicates)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QVBoxLayout,
)

from fieldsurvey.i18n import _
from fieldsurvey.ui.dialogs.report_view import ReportView, warning_text
from fieldsurvey.ui.errors import error_text
from fieldsurvey.ui.operations import run_operation


class MergeDialog(QDialog):
    def __init__(self, store, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.store = store
        self.report = None
        self.intro = QLabel(_("Choose the export files (.xlsx or .zip) to merge into this "
                              "laptop's interviews. Merging the same file twice changes "
                              "nothing."), self)
        self.intro.setWordWrap(True)
        self.files = QListWidget(self)
        self.result = ReportView(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        add = self.buttons.addButton(_("Add files…"), QDialogButtonBox.ButtonRole.ActionRole)
        add.clicked.connect(self._choose)
        self.merge_button = self.buttons.addButton(_("Merge"),
                                                   QDialogButtonBox.ButtonRole.ActionRole)
        self.merge_button.setObjectName("mergeButton")
        self.merge_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.files)
        layout.addWidget(self.result, 1)
        layout.addWidget(self.buttons)
        self.setWindowTitle(_("Merge exports"))
        self.resize(680, 480)

    def _choose(self) -> None:
        paths, _f = QFileDialog.getOpenFileNames(self, _("Exports to merge"), "",
                                                 _("Exports (*.xlsx *.zip)"))
        self.add_files(paths)

    def add_files(self, paths) -> None:
        for path in paths:
            self.files.addItem(str(path))

    def start(self):
        from fieldsurvey.exchange.importer import merge_files

        paths = [self.files.item(i).text() for i in range(self.files.count())]
        if not paths:
            self.result.show_lines([_("Add the files to merge first.")])
            return None
        self.merge_button.setEnabled(False)
        return run_operation(
            self,
            lambda progress, cancel: merge_files(
                self.store, paths, progress=lambda done, total: progress(done, total, ""),
                cancel=cancel),
            title=_("Merging"),
            on_success=self._done,
            on_failure=self._failed,
        )

    def _failed(self, exc) -> None:
        self.merge_button.setEnabled(True)
        self.result.show_lines([_("The merge failed."), error_text(exc)])

    def _done(self, report) -> None:
        self.report = report
        self.merge_button.setEnabled(True)
        counts = report.counts
        lines = [_("New: {new}, updated: {updated}, unchanged: {unchanged}, conflicting: "
                   "{conflicting}, rejected: {rejected}.").format(**counts)]
        for result in report.files:
            if result.error is not None:
                lines.append(_("{file}: rejected: {reason}").format(
                    file=result.path, reason=error_text(result.error)))
        for conflict in report.conflicts:
            lines.append(_("Conflict on {key}: both versions are kept ({file}).").format(
                key=conflict.interview_key, file=conflict.source_file))
        for duplicate in report.duplicates:
            lines.append(_("Likely duplicate: {what}").format(what=duplicate))
        lines += [warning_text(w) for w in report.warnings]
        self.result.show_lines(lines)
