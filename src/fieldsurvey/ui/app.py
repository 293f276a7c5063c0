"""Start the desktop application."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from fieldsurvey import APP_NAME, __version__
from fieldsurvey.i18n import _
from fieldsurvey.paths import DataDir

log = logging.getLogger(__name__)


def install_exception_hook(data_dir: DataDir) -> None:
    """Log an uncaught exception and show one readable dialog instead of a silent exit."""

    def hook(exc_type, exc, tb):
        log.critical("uncaught exception", exc_info=(exc_type, exc, tb))
        if QApplication.instance() is None:
            traceback.print_exception(exc_type, exc, tb)
            return
        box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, _("Something went wrong."))
        box.setInformativeText(
            _("{error}\n\nYour saved answers are safe. Details are in {log}.").format(
                error=exc, log=data_dir.log_file
            )
        )
        box.setDetailedText("".join(traceback.format_exception(exc_type, exc, tb)))
        box.exec()

    sys.excepthook = hook


def run(data_dir: DataDir, files: Sequence[str | Path] = ()) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    install_exception_hook(data_dir)
    window = QMainWindow()
    window.setWindowTitle(f"{APP_NAME} {__version__}")
    window.resize(1280, 720)
    window.show()
    return app.exec()
