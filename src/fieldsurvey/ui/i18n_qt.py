"""The Qt side of interface translation.

:class:`LanguageNotifier` turns :func:`fieldsurvey.i18n.set_language` into a Qt signal, so
that each window connects its ``retranslate_ui()`` to ``languageChanged`` and re-labels
itself while the app runs (Frescobaldi's ``translateUI`` pattern). Qt's own strings (the
buttons of standard dialogs, context menus of line edits) come from the ``qtbase_*.qm``
catalogs that ship with PySide6.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator, Signal

from fieldsurvey.i18n import (
    add_language_listener,
    current_language,
    remove_language_listener,
)

log = logging.getLogger(__name__)

#: Qt ships Brazilian Portuguese only; it is closer to no translation at all.
_QT_CATALOG_NAMES = {"pt": ("qtbase_pt", "qtbase_pt_BR")}


class LanguageNotifier(QObject):
    """Emits ``languageChanged(code)`` on the GUI thread after every interface switch."""

    languageChanged = Signal(str)  # noqa: N815 - Qt naming

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        add_language_listener(self._on_language)
        self.destroyed.connect(lambda *_: remove_language_listener(self._on_language))
        install_qt_translations(current_language(), self)

    def _on_language(self, code: str) -> None:
        install_qt_translations(code, self)
        self.languageChanged.emit(code)

    def detach(self) -> None:
        """Stop listening (tests create several applications in one process)."""
        remove_language_listener(self._on_language)


_notifier: LanguageNotifier | None = None
_qt_translator: QTranslator | None = None


def language_notifier() -> LanguageNotifier:
    """The notifier of the running QApplication (created on first use)."""
    global _notifier
    app = QCoreApplication.instance()
    if _notifier is None:
        _notifier = LanguageNotifier(app)
        # The application owns it; forget it when the application goes away.
        _notifier.destroyed.connect(_forget_notifier)
    return _notifier


def _forget_notifier(*_args) -> None:
    global _notifier
    _notifier = None


def install_qt_translations(code: str, owner: QObject | None = None) -> bool:
    """Load Qt's own catalog for ``code`` (replacing the previous one); True if found."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    global _qt_translator
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    QLocale.setDefault(QLocale(code))
    if code == "en":
        return True
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in _QT_CATALOG_NAMES.get(code, (f"qtbase_{code}",)):
        translator = QTranslator(owner or app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _qt_translator = translator
            return True
    log.info("no Qt catalog for %s in %s", code, folder)
    return False
