"""Range, acknowledge, geopoint (typed coordinates), geotrace/geoshape, attachments and
read-only values (notes)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QVBoxLayout,
)

from fieldsurvey.i18n import _
from fieldsurvey.ui.interview.widgets.base import AnswerWidget
from fieldsurvey.ui.interview.widgets.text import LineAnswer, format_number, parse_number


def _decimal(value, default: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(default)


class RangeAnswer(AnswerWidget):
    """``range``: a slider from ``start`` to ``end`` by ``step``; unanswered until moved
    (arrow keys move it, Delete clears it)."""

    def __init__(self, item, context=None, parent=None) -> None:
        super().__init__(item, context, parent)
        params = item.parameters or {}
        self.start = _decimal(params.get("start", 1), "1")
        self.end = _decimal(params.get("end", 10), "10")
        self.step = _decimal(params.get("step", 1), "1") or Decimal(1)
        steps = int(abs((self.end - self.start) / self.step))
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("answerInput")
        self.slider.setRange(0, steps)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setMinimumWidth(240)
        self.slider.setMaximumWidth(480)
        self.shown = QLabel(self)
        self.shown.setMinimumWidth(110)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(format_number(str(self.start), decimal=True), self))
        layout.addWidget(self.slider)
        layout.addWidget(QLabel(format_number(str(self.end), decimal=True), self))
        layout.addWidget(self.shown)
        layout.addStretch(1)
        self.setFocusProxy(self.slider)
        self._answered = False
        self.slider.valueChanged.connect(self._moved)
        self.slider.sliderReleased.connect(self._emit_committed)
        self.slider.installEventFilter(self)
        self.retranslate_ui()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == event.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not self._read_only:
                self._answered = False
                self._update_label()
                self._emit_edited()
                self._emit_committed()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if not self._answered:
                    self._moved(self.slider.value())
                self._emit_committed()
                self.advance.emit()
                return True
        if event.type() == event.Type.KeyRelease and event.key() in (
            Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down,
            Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Home, Qt.Key.Key_End,
        ):
            self._emit_committed()
        return False

    def retranslate_ui(self) -> None:
        self._update_label()

    def _moved(self, _position: int) -> None:
        if self._updating:
            return
        self._answered = True
        self._update_label()
        self._emit_edited()

    def _update_label(self) -> None:
        self.shown.setText(format_number(self.value(), decimal=True) if self._answered
                           else _("Not answered"))

    def inputs(self):
        return [self.slider]

    def value(self):
        if not self._answered:
            return ""
        number = self.start + self.step * self.slider.value()
        if number == number.to_integral_value():
            return str(int(number))
        return format(number.normalize(), "f")

    def _show_value(self, value: str) -> None:
        self._answered = bool(value)
        if value:
            position = (_decimal(value, str(self.start)) - self.start) / self.step
            self.slider.setValue(int(position))
        self._update_label()


class AcknowledgeAnswer(AnswerWidget):
    """``acknowledge``: one checkbox; checked means ``OK``."""

    def __init__(self, item, context=None, parent=None) -> None:
        super().__init__(item, context, parent)
        self.box = QCheckBox(self)
        self.box.setObjectName("answerInput")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        layout.addStretch(1)
        self.setFocusProxy(self.box)
        self.box.toggled.connect(lambda _c: (self._emit_edited(), self._emit_committed()))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.box.setText(_("OK"))

    def inputs(self):
        return [self.box]

    def value(self):
        return "OK" if self.box.isChecked() else ""

    def _show_value(self, value: str) -> None:
        self.box.setChecked(bool(value))


class GeopointAnswer(AnswerWidget):
    """``geopoint`` typed as latitude and longitude in decimal degrees (the laptop has
    no GPS); canonical ``"lat lon alt accuracy"``."""

    def __init__(self, item, context=None, parent=None) -> None:
        super().__init__(item, context, parent)
        self.lat = QLineEdit(self)
        self.lon = QLineEdit(self)
        self.lat_label = QLabel(self)
        self.lon_label = QLabel(self)
        self.rest = ("0", "0")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for label, edit in ((self.lat_label, self.lat), (self.lon_label, self.lon)):
            edit.setMaximumWidth(140)
            label.setBuddy(edit)
            layout.addWidget(label)
            layout.addWidget(edit)
            edit.editingFinished.connect(self._finish)
        layout.addStretch(1)
        self.lon.returnPressed.connect(self.advance.emit)
        self.setFocusProxy(self.lat)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.lat_label.setText(_("Latitude"))
        self.lon_label.setText(_("Longitude"))
        self.lat.setPlaceholderText(format_number("14.6349", decimal=True))
        self.lon.setPlaceholderText(format_number("-90.5069", decimal=True))

    def set_accessible_name(self, name: str) -> None:
        self.lat.setAccessibleName(_("{question}: latitude").format(question=name))
        self.lon.setAccessibleName(_("{question}: longitude").format(question=name))

    def _finish(self) -> None:
        # Commit when the pair is complete or both are empty (cleared).
        if self.lon.hasFocus() and self.lat.text().strip() and not self.lon.text().strip():
            return
        if bool(self.lat.text().strip()) == bool(self.lon.text().strip()):
            self._emit_committed()

    def inputs(self):
        return [self.lat, self.lon]

    def _apply_read_only(self, read_only: bool) -> None:
        self.lat.setReadOnly(read_only)
        self.lon.setReadOnly(read_only)

    def value(self):
        lat = parse_number(self.lat.text(), decimal=True)
        lon = parse_number(self.lon.text(), decimal=True)
        if not lat and not lon:
            return ""
        return f"{lat} {lon} {self.rest[0]} {self.rest[1]}"

    def _show_value(self, value: str) -> None:
        parts = value.split()
        self.lat.setText(format_number(parts[0], decimal=True) if parts else "")
        self.lon.setText(format_number(parts[1], decimal=True) if len(parts) > 1 else "")
        self.rest = (parts[2] if len(parts) > 2 else "0", parts[3] if len(parts) > 3 else "0")


class GeoTextAnswer(LineAnswer):
    """``geotrace`` / ``geoshape``: points typed as ``lat lon; lat lon; …``."""

    live = False  # a half-typed point is not worth checking on every keystroke

    def __init__(self, item, context=None, parent=None) -> None:
        super().__init__(item, context, parent)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.edit.setPlaceholderText(_("lat lon; lat lon; …"))

    def value(self):
        points = [p.split() for p in self.edit.text().split(";") if p.strip()]
        return ";".join(" ".join((p + ["0", "0"])[:4]) if len(p) == 2 else " ".join(p)
                        for p in points)


class FileAnswer(AnswerWidget):
    """``image`` / ``audio`` / ``video`` / ``file``: a file from disk, copied into the
    data folder (``store.add_attachment``); images get a thumbnail."""

    FILTERS = {
        "image": "*.jpg *.jpeg *.png *.gif *.bmp *.webp",
        "audio": "*.mp3 *.m4a *.wav *.ogg *.amr *.aac",
        "video": "*.mp4 *.mov *.avi *.mkv *.3gp *.webm",
    }

    def __init__(self, item, context=None, parent=None) -> None:
        super().__init__(item, context, parent)
        self.name = QLabel(self)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview = QLabel(self)
        self.preview.setVisible(False)
        self.choose = QPushButton(self)
        self.choose.setObjectName("answerInput")
        self.remove = QPushButton(self)
        self.choose.clicked.connect(self._choose)
        self.remove.clicked.connect(self._remove)
        row = QHBoxLayout()
        row.addWidget(self.choose)
        row.addWidget(self.remove)
        row.addWidget(self.name, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.preview)
        self.setFocusProxy(self.choose)
        self._value = ""
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.choose.setText(_("Choose a file…"))
        self.remove.setText(_("Remove"))
        self._update()

    def inputs(self):
        return [self.choose, self.remove]

    def _apply_read_only(self, read_only: bool) -> None:
        self.choose.setEnabled(not read_only)
        self.remove.setEnabled(not read_only and bool(self._value))

    def _choose(self) -> None:
        pattern = self.FILTERS.get(self.item.type, "*")
        path, _selected = QFileDialog.getOpenFileName(
            self, _("Choose a file"), "",
            _("Files ({patterns})").format(patterns=pattern) + ";;" + _("All files (*)"),
        )
        if path:
            self.attach(path)

    def attach(self, path: str) -> None:
        """Store ``path`` for the interview and answer with it (also used by tests)."""
        if self.context.attach is None:
            value = Path(path).name
        else:
            value = self.context.attach(path)
        self._value = value
        self._last_path = path
        self._update()
        self._emit_edited()
        self._emit_committed()

    def _remove(self) -> None:
        self._value = ""
        self._update()
        self._emit_edited()
        self._emit_committed()

    def value(self):
        return self._value

    def _show_value(self, value: str) -> None:
        self._value = value
        self._update()

    def _update(self) -> None:
        self.name.setText(self._value or _("No file"))
        self.remove.setEnabled(bool(self._value) and not self._read_only)
        pixmap = None
        if self._value and self.item.type == "image" and self.context.media_path:
            path = self.context.media_path(self._value)
            if path:
                pixmap = QPixmap(str(path))
        if pixmap is not None and not pixmap.isNull():
            self.preview.setPixmap(pixmap.scaled(240, 160, Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.SmoothTransformation))
            self.preview.setVisible(True)
        else:
            self.preview.setVisible(False)


class ValueAnswer(AnswerWidget):
    """A read-only value: notes that show a calculation, unsupported types."""

    def __init__(self, item, context=None, parent=None) -> None:
        super().__init__(item, context, parent)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        self._value = ""

    def inputs(self):
        return []

    def value(self):
        return self._value

    def _show_value(self, value: str) -> None:
        self._value = value
        self.label.setText(value)
        self.setVisible(bool(value))
