"""Merge exports from other laptops into this store and show the merge report (new,
updated, unchanged, conflicting, rejected; conflicts and likely duplicates)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QVBoxLayout,
)

from fieldsurvey.i18n import _
from fieldsurvey.ui.dialogs.report_view import OperationDialog, warning_text
from fieldsurvey.ui.errors import error_text


class MergeDialog(OperationDialog):
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
        layout.addWidget(self.progress)
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
        return self.run(
            lambda progress, cancel: merge_files(
                self.store, paths, progress=lambda done, total: progress(done, total, ""),
                cancel=cancel),
            title=_("Merging"), button=self.merge_button,
            first_line=_("Merging…"),
            on_success=self._done, on_failure=self._failed,
        )

    def _interview_name(self, conflict) -> str:
        """The interview's name as the lists show it, with its key to find it again."""
        from fieldsurvey.errors import FieldSurveyError

        try:
            name = self.store.get_interview(conflict.local_instance_id).display_name
        except FieldSurveyError:
            name = None
        return f"{name} ({conflict.interview_key})" if name else conflict.interview_key

    def _failed(self, exc) -> None:
        self.result.show_lines([_("The merge failed."), error_text(exc)])

    def _done(self, report) -> None:
        self.report = report
        counts = report.counts
        lines = [_("New: {new}, updated: {updated}, unchanged: {unchanged}, conflicting: "
                   "{conflicting}, rejected: {rejected}.").format(**counts)]
        for result in report.files:
            if result.error is not None:
                lines.append(_("{file}: rejected: {reason}").format(
                    file=Path(result.path).name, reason=error_text(result.error)))
        for conflict in report.conflicts:
            lines.append(_("Conflict on {name}: both versions are kept ({file}).").format(
                name=self._interview_name(conflict), file=Path(conflict.source_file).name))
            for difference in conflict.differences:
                lines.append("    " + _("{field}: here “{local}”, in the file “{incoming}”")
                             .format(field=difference.field, local=difference.local or "",
                                     incoming=difference.incoming or ""))
        for duplicate in report.duplicates:
            lines.append(_("Likely duplicates ({keys}): {interviews}").format(
                keys=", ".join(f"{k}={v}" for k, v in duplicate.keys.items()),
                interviews=", ".join(duplicate.interview_keys)))
        lines += [warning_text(w) for w in report.warnings]
        self.result.show_lines(lines)
