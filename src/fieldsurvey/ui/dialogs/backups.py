"""Backups: make one now, see the kept ones, restore one (the app restarts its store)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QMessageBox,
    QVBoxLayout,
)

from fieldsurvey.errors import FieldSurveyError
from fieldsurvey.i18n import _
from fieldsurvey.ui.errors import show_error


class BackupsDialog(QDialog):
    def __init__(self, store, data_dir, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("backupsDialog")
        self.store = store
        self.data_dir = data_dir
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("backupList")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        backup = self.buttons.addButton(_("Back up now"), QDialogButtonBox.ButtonRole.ActionRole)
        backup.clicked.connect(self.backup_now)
        restore = self.buttons.addButton(_("Restore…"), QDialogButtonBox.ButtonRole.ActionRole)
        restore.clicked.connect(self.restore_selected)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self.setWindowTitle(_("Backups"))
        self.resize(600, 400)
        self.refresh()

    def refresh(self) -> None:
        self.info.setText(_("Backups are made on start and after each finalized interview, "
                            "in {folder}.").format(folder=self.data_dir.backups))
        self.list.clear()
        try:
            backups = self.store.list_backups()
        except FieldSurveyError as exc:
            show_error(self, exc)
            return
        for path in backups:
            self.list.addItem(str(path))

    def backup_now(self) -> Path | None:
        try:
            path = self.store.backup("manual")
        except FieldSurveyError as exc:
            show_error(self, exc)
            return None
        self.refresh()
        return path

    def restore_selected(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        answer = QMessageBox.question(
            self, _("Restore a backup"),
            _("Replace the current database with {file}? The current one is kept as a "
              "backup first. FieldSurvey closes; start it again.").format(file=item.text()))
        if answer != QMessageBox.StandardButton.Yes:
            return
        from fieldsurvey.store import restore_backup

        window = self.parent()
        try:
            self.store.close()
            restore_backup(self.data_dir, item.text())
        except FieldSurveyError as exc:
            show_error(self, exc)
            return
        self.accept()
        if window is not None:
            window.close()
