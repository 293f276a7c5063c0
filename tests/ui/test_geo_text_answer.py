"""Lines and shapes typed as coordinates: committed when left, never half-typed."""

from __future__ import annotations

from PySide6.QtCore import Qt

from fieldsurvey.ui.interview.widgets.misc import GeoTextAnswer


def test_points_are_committed_with_altitude_and_accuracy_when_left(qtbot):
    widget = GeoTextAnswer(item=None)
    qtbot.addWidget(widget)
    edited, committed = [], []
    widget.edited.connect(edited.append)
    widget.committed.connect(committed.append)
    widget.show()
    widget.edit.setFocus()
    qtbot.keyClicks(widget.edit, "14.6 -90.5; 14.7 -90.4")
    assert edited == []  # a half-typed point is not sent on every keystroke
    qtbot.keyClick(widget.edit, Qt.Key.Key_Return)
    assert committed[-1] == "14.6 -90.5 0 0;14.7 -90.4 0 0"


def test_a_stored_value_is_shown_and_read_only_keeps_it(qtbot):
    widget = GeoTextAnswer(item=None)
    qtbot.addWidget(widget)
    widget.set_value("14.6 -90.5 0 0;14.7 -90.4 0 0")
    assert widget.edit.text() == "14.6 -90.5 0 0;14.7 -90.4 0 0"
    widget.set_read_only(True)
    assert widget.edit.isReadOnly()
    assert widget.value() == "14.6 -90.5 0 0;14.7 -90.4 0 0"
