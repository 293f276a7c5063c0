"""The self-test's Qt step: the libraries, a platform plugin, fonts and Qt's translations.

A bundle that lacks a Qt plugin or library only fails when a window opens; this finds
out from the console, without showing anything (an existing QApplication is reused, or
an off-screen one is created).
"""

from __future__ import annotations

from fieldsurvey.i18n import _

#: Qt's own translations the bundle ships (Portuguese is qtbase_pt_BR in Qt 6).
QT_LANGUAGES = ("es", "fr", "pt", "it", "ru")


def check_qt() -> str:
    """Start Qt off screen, draw a widget, load Qt's translations; return a one-line detail.

    Raises an exception naming what is missing.
    """
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator, qVersion
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance()
    if app is None:
        # Keep a reference on the function: a QApplication must outlive its widgets.
        app = QApplication(["fieldsurvey-self-test", "-platform", "offscreen"])
        check_qt.app = app  # type: ignore[attr-defined]
    label = QLabel("FieldSurvey ✓ Ñandú Ærø Привет")
    label.adjustSize()
    pixmap = label.grab()
    if pixmap.isNull() or pixmap.width() == 0:
        raise RuntimeError(_("Qt could not draw a widget."))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    missing = [code for code in QT_LANGUAGES
               if not QTranslator().load(QLocale(code), "qtbase", "_", folder)]
    if missing:
        raise RuntimeError(_("Qt translations missing for {languages} in {folder}.").format(
            languages=", ".join(missing), folder=folder))
    _check_references(label)
    label.deleteLater()
    return _("Qt {version}, platform “{platform}”; Qt's translations: {languages}").format(
        version=qVersion(), platform=app.platformName(), languages=", ".join(QT_LANGUAGES))


def _check_references(label) -> None:
    """Refuse a Qt for Python build that frees None a little at every call.

    PySide6 6.12.0 releases one reference to None on every call of a method that returns
    nothing; on Python 3.11, where None's count is finite, a long session then dies with
    "Fatal Python error: none_dealloc". Python 3.12 and later never free None.
    """
    import sys

    from PySide6 import __version__ as pyside_version

    calls = 200
    before = sys.getrefcount(None)
    for _i in range(calls):
        label.setText("FieldSurvey")
    if before - sys.getrefcount(None) >= calls // 2:
        raise RuntimeError(_(
            "This Qt for Python (PySide6 {version}) loses a reference at every call and "
            "would make the application crash during work; install another version."
        ).format(version=pyside_version))
