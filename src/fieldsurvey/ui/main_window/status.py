"""The status bar: the save state ("Saved 12:03:04", "Saving…", "Not saved: …") and the
time of the last backup."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QLabel

from fieldsurvey.i18n import _
from fieldsurvey.i18n.formatting import format_datetime

SAVED, SAVING, UNSAVED, FAILED, IDLE = "saved", "saving", "unsaved", "failed", "idle"


class SaveStateLabel(QLabel):
    """Shows the last save state; red when an answer could not be saved."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("saveState")
        self.state = IDLE
        self.detail = ""
        self.saved_at: datetime | None = None
        self.retranslate_ui()

    def set_state(self, state: str, detail: str = "") -> None:
        self.state = state
        self.detail = detail
        if state == SAVED:
            self.saved_at = datetime.now()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        if self.state == SAVED and self.saved_at is not None:
            text = _("Saved {time}").format(time=self.saved_at.strftime("%H:%M:%S"))
        elif self.state == SAVING:
            text = _("Saving…")
        elif self.state == UNSAVED:
            text = _("Typing… (saved when you leave the answer)")
        elif self.state == FAILED:
            text = _("Not saved: {reason}").format(reason=self.detail)
        else:
            text = _("All interviews are saved")
        self.setText(text)
        self.setAccessibleName(text)
        self.setStyleSheet("color: #b00020; font-weight: bold;" if self.state == FAILED
                           else "")


class BackupTimeLabel(QLabel):
    """When the database was last backed up, in the interface language."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("lastBackup")
        self.backed_up_at: datetime | None = None
        self.retranslate_ui()

    def set_time(self, moment: datetime | None) -> None:
        self.backed_up_at = moment
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        if self.backed_up_at is None:
            text = _("No backup yet")
        else:
            text = _("Last backup: {time}").format(
                time=format_datetime(self.backed_up_at, format="short"))
        self.setText(text)
        self.setAccessibleName(text)
