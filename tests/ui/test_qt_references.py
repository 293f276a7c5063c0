"""Qt for Python must not free None a little at every call.

PySide6 6.12.0 released one reference to None on every call of a method that returns
nothing. On Python 3.11 that frees None after some tens of thousands of calls, and the
application dies mid-interview with "Fatal Python error: none_dealloc" (seen after a
live language switch in the field trial, and at the end of long test runs).
"""

from __future__ import annotations

import ctypes
import sys

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit


def test_calls_that_return_nothing_keep_none_alive(qtbot):
    edit, label = QLineEdit(), QLabel()
    qtbot.addWidget(edit)
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for number in range(2000):
        edit.setText(str(number))
        edit.setCursorPosition(0)
        label.setText("x")
        label.setVisible(False)
    # A little noise from objects made meanwhile, never one reference per call.
    assert sys.getrefcount(None) >= before - 100


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_the_self_test_refuses_a_qt_that_frees_none(qtbot):
    from fieldsurvey.selftest.qt_check import _check_references

    decref = ctypes.pythonapi.Py_DecRef
    decref.argtypes = [ctypes.py_object]
    calls = []

    class Leaky:
        """A label whose setText loses a reference to None, as PySide6 6.12.0's did."""

        def setText(self, _text):  # noqa: N802 - Qt's name
            calls.append(1)
            decref(None)

    try:
        with pytest.raises(RuntimeError, match="loses a reference"):
            _check_references(Leaky())
    finally:
        incref = ctypes.pythonapi.Py_IncRef
        incref.argtypes = [ctypes.py_object]
        for _call in calls:
            incref(None)
    label = QLabel()
    qtbot.addWidget(label)
    _check_references(label)  # the installed build passes
