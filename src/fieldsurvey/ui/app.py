"""Start the desktop application: Qt setup, the interface language, the store (with a
readable message when it cannot be opened), bundled questionnaires, the main window."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from fieldsurvey import APP_NAME, __version__
from fieldsurvey.errors import FieldSurveyError
from fieldsurvey.i18n import (
    _,
    current_language,
    normalize_language,
    set_language,
    system_language,
)
from fieldsurvey.paths import DataDir
from fieldsurvey.settings import Settings

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


def create_application() -> QApplication:
    """The QApplication (reused when one exists, as in tests)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    try:
        from fieldsurvey.resources import resources_dir

        icon_file = next(iter(sorted(Path(resources_dir()).glob("**/fieldsurvey*.png"))), None)
        if icon_file is not None:
            from PySide6.QtGui import QIcon

            app.setWindowIcon(QIcon(str(icon_file)))
    except OSError:
        pass
    return app


def choose_interface_language(settings: Settings) -> str:
    """The stored choice, else (first start) the language already in force: the command
    line's ``--lang`` or the system language if it is one of the six. The choice is stored
    so the next start does not guess again."""
    stored = normalize_language(settings.get("interface_language"))
    if stored:
        return set_language(stored)
    code = set_language(current_language() if current_language() != "en"
                        else system_language())
    try:
        settings.set("interface_language", code)
    except OSError:
        log.warning("cannot store the interface language", exc_info=True)
    return code


def open_store_or_explain(data_dir: DataDir, settings: Settings):
    """The open store, or None after telling the user why it cannot be opened."""
    from fieldsurvey.store import open_store

    try:
        return open_store(data_dir, settings=settings)
    except FieldSurveyError as exc:
        log.error("cannot open the store: %s", exc.english())
        box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME,
                          _("FieldSurvey cannot open its database."))
        box.setObjectName("storeError")
        box.setInformativeText(exc.translated())
        box.setDetailedText(_("Data folder: {folder}").format(folder=data_dir.root))
        box.exec()
        return None


def install_bundled_forms(window) -> None:
    """Install the questionnaires shipped with the app (new ones only), off the GUI thread."""
    from fieldsurvey.ui.operations import run_operation

    def done(results) -> None:
        failed = [r for r in results or [] if getattr(r, "error", None)]
        for result in failed:
            log.warning("bundled questionnaire not installed: %s", result.error)
        if any(not getattr(r, "already_installed", True) for r in results or []):
            window.refresh()

    run_operation(window, lambda progress, cancel: window.store.install_bundled_forms(),
                  title=_("Installing questionnaires"), on_success=done,
                  on_failure=lambda exc: log.warning("bundled forms: %s", exc),
                  show_progress=False)


def build_main_window(data_dir: DataDir, *, settings: Settings | None = None,
                      bundled: bool = True):
    """Open the store and make the main window (None if the store cannot be opened)."""
    from fieldsurvey.ui.i18n_qt import language_notifier
    from fieldsurvey.ui.main_window import MainWindow

    settings = settings or Settings(data_dir.settings_file)
    choose_interface_language(settings)
    language_notifier()
    store = open_store_or_explain(data_dir, settings)
    if store is None:
        return None
    window = MainWindow(store, data_dir, settings)
    if bundled:
        # After the window is up: a first start converts the questionnaires with pyxform.
        QTimer.singleShot(0, lambda: install_bundled_forms(window))
    return window


#: The X11 libraries Qt's xcb plugin loads, and the Debian/Ubuntu packages that have them.
_XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0", "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-icccm": "libxcb-icccm4", "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0", "xcb-render-util": "libxcb-render-util0",
    "xcb-shape": "libxcb-shape0", "EGL": "libegl1",
}


def display_problem(environ=None) -> str | None:
    """Why no window can open here, in one sentence, or None.

    Without it Qt prints several lines about platform plugins and aborts, which tells a
    user nothing (Linux only: Windows always has a display).
    """
    import os

    environ = os.environ if environ is None else environ
    if not sys.platform.startswith("linux") or environ.get("QT_QPA_PLATFORM"):
        return None
    if not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY"):
        return _("FieldSurvey needs a graphical desktop, and none was found (DISPLAY is not "
                 "set): start it from a desktop session, or use the command line "
                 "(fieldsurvey --help).")
    if environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY"):
        from ctypes.util import find_library

        missing = [package for name, package in _XCB_LIBRARIES.items() if not find_library(name)]
        if missing:
            return _("Qt cannot open a window: system libraries are missing. On Debian or "
                     "Ubuntu, install them with: sudo apt-get install {packages}").format(
                packages=" ".join(missing))
    return None


def run(data_dir: DataDir, files: Sequence[str | Path] = ()) -> int:
    """The desktop application's main loop; returns the exit status."""
    problem = display_problem()
    if problem:
        log.info("no window can open: %s", problem)
        print(problem, file=sys.stderr)
        return 1
    app = create_application()
    install_exception_hook(data_dir)
    window = build_main_window(data_dir)
    if window is None:
        return 1
    window.show()
    if files:
        window.install_files(files)
    try:
        return app.exec()
    finally:
        window.store.close()
