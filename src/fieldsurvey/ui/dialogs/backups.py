"""Backups: make one now, see the kept ones, restore one (the main window reopens its
store on the restored database and carries on)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
)

from fieldsurvey.errors import FieldSurveyError
from fieldsurvey.i18n import _
from fieldsurvey.ui.errors import show_error

PATH_ROLE = Qt.ItemDataRole.UserRole


def backup_title(path: Path) -> str:
    """When and why a backup was made, in local time: "2024-05-01 14:03:22 — on start"."""
    from fieldsurvey.store.backup import backup_time

    reasons = {
        "manual": _("made by hand"),
        "start": _("on start"),
        "finalize": _("after an interview was finalized"),
        "before-restore": _("the database replaced by a restore"),
    }
    when = backup_time(path)
    reason = path.stem.split("Z-", 1)[-1]
    if reason.startswith("before-upgrade"):
        label = _("before an upgrade")
    else:
        label = reasons.get(reason, reason)
    if when is None:
        return path.name
    return _("{time} — {reason}").format(
        time=when.astimezone().strftime("%Y-%m-%d %H:%M:%S"), reason=label)


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
            item = QListWidgetItem(backup_title(path))
            item.setData(PATH_ROLE, str(path))
            item.setToolTip(str(path))
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def backup_now(self) -> Path | None:
        try:
            path = self.store.backup("manual")
        except FieldSurveyError as exc:
            show_error(self, exc)
            return None
        self.refresh()
        return path

    def restore_selected(self) -> bool:
        """Replace the database with the chosen backup, after asking; True when done."""
        item = self.list.currentItem()
        if item is None:
            return False
        answer = QMessageBox.question(
            self, _("Restore a backup"),
            _("Replace the current database with the backup {file}? The current one is "
              "kept as a backup first.").format(file=item.text()))
        if answer != QMessageBox.StandardButton.Yes:
            return False
        from fieldsurvey.store import restore_backup

        window = self.parent()
        self.store.close()
        try:
            restore_backup(self.data_dir, item.data(PATH_ROLE))
        except FieldSurveyError as exc:
            show_error(self, exc)
            # Nothing was replaced: carry on with the database as it was.
            if window is not None and hasattr(window, "reopen_store"):
                window.reopen_store()
            return False
        self.accept()
        if window is not None and hasattr(window, "reopen_store"):
            if window.reopen_store():
                window.statusBar().showMessage(
                    _("Restored the backup {file}.").format(file=item.text()),
                    15000)
        return True
