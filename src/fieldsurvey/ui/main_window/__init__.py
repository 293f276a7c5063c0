"""The main window: installed questionnaires, the interview list, and the actions on
them (Picard's ``ui/mainwindow`` layout)."""

from fieldsurvey.ui.main_window.window import MainWindow

__all__ = ["MainWindow"]
