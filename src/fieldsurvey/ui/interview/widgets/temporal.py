"""Date, time and date-time answers: typed in the interface language's notation, with a
calendar button for dates. Empty stays empty (a date edit that always holds a date would
answer questions nobody answered)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QLocale, QTime
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidgetAction,
)

from fieldsurvey.i18n import _
from fieldsurvey.ui.i18n_qt import unambiguous_date_pattern
from fieldsurvey.ui.interview.widgets.base import AnswerWidget


def date_display_format() -> str:
    """The interface language's short date order and separators, with a two-digit day
    and month and a four-digit year (``dd/MM/yyyy`` in Spanish, ``MM/dd/yyyy`` in US
    English): ``5/3/26`` leaves the century and, to a tired eye, the order in doubt."""
    return unambiguous_date_pattern(QLocale().dateFormat(QLocale.FormatType.ShortFormat))


def parse_date(text: str) -> QDate | None:
    """A typed date: ISO, or the interface language's order with one- or two-digit day
    and month and a two- or four-digit year."""
    text = text.strip()
    if not text:
        return None
    short = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    display = date_display_format()
    loose = display.replace("dd", "d").replace("MM", "M")
    for fmt in ("yyyy-MM-dd", display, loose, short, "d/M/yyyy", "d.M.yyyy"):
        date = QDate.fromString(text, fmt)
        if date.isValid():
            if fmt == short and "yyyy" not in fmt and date.year() < 1950:
                date = date.addYears(100)  # "24" means 2024, not 1924
            return date
    return None


def parse_time(text: str) -> QTime | None:
    text = text.strip()
    if not text:
        return None
    for fmt in ("HH:mm", "H:mm", "HH:mm:ss", "H:mm:ss", "HHmm"):
        time = QTime.fromString(text, fmt)
        if time.isValid():
            return time
    return None


class _Field(QLineEdit):
    pass


class DateAnswer(AnswerWidget):
    """``date``: canonical value ``YYYY-MM-DD``."""

    live = False

    def __init__(self, item, context=None, parent=None) -> None:
        super().__init__(item, context, parent)
        self.edit = _Field(self)
        self.edit.setObjectName("answerInput")
        self.edit.setMaximumWidth(160)
        self.button = QToolButton(self)
        self.button.setText("…")
        self.button.setFocusPolicy(self.button.focusPolicy().NoFocus)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # The calendar is made on first use: a page of many dates opens faster.
        self.calendar: QCalendarWidget | None = None
        menu = QMenu(self.button)
        self.button.setMenu(menu)
        menu.aboutToShow.connect(self._sync_calendar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.button)
        layout.addStretch(1)
        self.setFocusProxy(self.edit)
        self.edit.editingFinished.connect(self._finish)
        self.edit.returnPressed.connect(self.advance.emit)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        fmt = date_display_format()
        self.edit.setPlaceholderText(fmt.lower())
        self.button.setToolTip(_("Choose a date"))
        date = parse_date(self.edit.text())
        if date is not None and not self.edit.hasFocus():
            self.edit.setText(date.toString(fmt))

    def inputs(self):
        return [self.edit]

    def _apply_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.button.setEnabled(not read_only)

    def _sync_calendar(self) -> None:
        if self.calendar is None:
            self.calendar = QCalendarWidget()
            action = QWidgetAction(self.button.menu())
            action.setDefaultWidget(self.calendar)
            self.button.menu().addAction(action)
            self.calendar.activated.connect(self._picked)
            self.calendar.clicked.connect(self._picked)
        date = parse_date(self.edit.text())
        self.calendar.setSelectedDate(date or QDate.currentDate())

    def _picked(self, date: QDate) -> None:
        self.edit.setText(date.toString(date_display_format()))
        self.button.menu().hide()
        self._emit_committed()
        self.edit.setFocus()

    def _finish(self) -> None:
        date = parse_date(self.edit.text())
        if date is not None:
            self.edit.setText(date.toString(date_display_format()))
        self._emit_committed()

    def value(self):
        date = parse_date(self.edit.text())
        if date is None:
            return self.edit.text().strip()  # the engine explains what is wrong
        return date.toString("yyyy-MM-dd")

    def _show_value(self, value: str) -> None:
        date = QDate.fromString(value[:10], "yyyy-MM-dd") if value else None
        self.edit.setText(date.toString(date_display_format()) if date and date.isValid()
                          else value)


class TimeAnswer(AnswerWidget):
    """``time``: typed ``14:30``; canonical ``14:30:00``."""

    def __init__(self, item, context=None, parent=None) -> None:
        super().__init__(item, context, parent)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("answerInput")
        self.edit.setMaximumWidth(100)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addStretch(1)
        self.setFocusProxy(self.edit)
        self.edit.editingFinished.connect(self._emit_committed)
        self.edit.returnPressed.connect(self.advance.emit)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.edit.setPlaceholderText(_("hh:mm"))

    def inputs(self):
        return [self.edit]

    def _apply_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)

    def value(self):
        time = parse_time(self.edit.text())
        return time.toString("HH:mm:ss") if time else self.edit.text().strip()

    def _show_value(self, value: str) -> None:
        time = QTime.fromString(value[:8], "HH:mm:ss") if value else None
        self.edit.setText(time.toString("HH:mm") if time and time.isValid() else value)


class DateTimeAnswer(AnswerWidget):
    """``dateTime``: a date and a time side by side; canonical ISO 8601 with the
    laptop's UTC offset, as ODK Collect writes it."""

    def __init__(self, item, context=None, parent=None) -> None:
        super().__init__(item, context, parent)
        self.date = DateAnswer(item, context, self)
        self.time = TimeAnswer(item, context, self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.date)
        layout.addWidget(self.time)
        layout.addStretch(1)
        self.setFocusProxy(self.date)
        self.date.committed.connect(lambda _v: self._maybe_commit())
        self.time.committed.connect(lambda _v: self._maybe_commit())
        self.time.advance.connect(self.advance.emit)

    def _maybe_commit(self) -> None:
        # Wait for both halves unless the answer is being cleared.
        if not self.time.edit.hasFocus():
            self._emit_committed()

    def inputs(self):
        return [self.date.edit, self.time.edit]

    def retranslate_ui(self) -> None:
        self.date.retranslate_ui()
        self.time.retranslate_ui()

    def _apply_read_only(self, read_only: bool) -> None:
        self.date.set_read_only(read_only)
        self.time.set_read_only(read_only)

    def value(self):
        date, time = self.date.value(), self.time.value()
        if not date and not time:
            return ""
        try:
            moment = datetime.fromisoformat(f"{date}T{time or '00:00:00'}")
        except ValueError:
            return f"{date}T{time}" if time else date
        return moment.astimezone().isoformat(timespec="milliseconds")

    def _show_value(self, value: str) -> None:
        if not value:
            self.date.set_value("")
            self.time.set_value("")
            return
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            self.date.set_value(value)
            return
        if moment.tzinfo is not None:
            moment = moment.astimezone()
        self.date.set_value(moment.date().isoformat())
        self.time.set_value(moment.strftime("%H:%M:%S"))
