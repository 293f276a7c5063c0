"""The Qt side of interface translation.

:class:`LanguageNotifier` turns :func:`fieldsurvey.i18n.set_language` into a Qt signal, so
that each window connects its ``retranslate_ui()`` to ``languageChanged`` and re-labels
itself while the app runs (Frescobaldi's ``translateUI`` pattern). Qt's own strings (the
buttons of standard dialogs, context menus of line edits) come from the ``qtbase_*.qm``
catalogs that ship with PySide6; :class:`GettextQtTranslator`, searched before them, answers
the few Qt strings a user meets most from our own catalogs, so they follow our glossary
(and European Portuguese, where Qt ships only Brazil's catalog). ``QLocale.setDefault``
follows the interface language, so that date and number widgets use its conventions.
"""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator, Signal
from PySide6.QtWidgets import QApplication

from fieldsurvey.i18n import (
    add_language_listener,
    current_language,
    pgettext,
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
_gettext_translator: GettextQtTranslator | None = None


def _qt_strings() -> dict[tuple[str, str], str]:
    """Qt's own texts that we translate ourselves, keyed on (Qt context, source text).

    The buttons of message boxes and button boxes (QPlatformTheme) and the context menu of
    every text field (QLineEdit, QWidgetTextControl): the Qt words a user meets on every
    screen. Everything else falls through to Qt's catalogs.
    """
    button = {
        "OK": pgettext("Qt button", "OK"),
        "Save": pgettext("Qt button", "Save"),
        "Save All": pgettext("Qt button", "Save All"),
        "Open": pgettext("Qt button", "Open"),
        "&Yes": pgettext("Qt button", "&Yes"),
        "Yes to &All": pgettext("Qt button", "Yes to &All"),
        "&No": pgettext("Qt button", "&No"),
        "N&o to All": pgettext("Qt button", "N&o to All"),
        "Abort": pgettext("Qt button", "Abort"),
        "Retry": pgettext("Qt button", "Retry"),
        "Ignore": pgettext("Qt button", "Ignore"),
        "Close": pgettext("Qt button", "Close"),
        "Cancel": pgettext("Qt button", "Cancel"),
        "Discard": pgettext("Qt button", "Discard"),
        "Help": pgettext("Qt button", "Help"),
        "Apply": pgettext("Qt button", "Apply"),
        "Reset": pgettext("Qt button", "Reset"),
        "Restore Defaults": pgettext("Qt button", "Restore Defaults"),
        "Don't Save": pgettext("Qt button", "Don't Save"),
        "Close without Saving": pgettext("Qt button", "Close without Saving"),
    }
    edit_menu = {
        "&Undo": pgettext("Qt edit menu", "&Undo"),
        "&Redo": pgettext("Qt edit menu", "&Redo"),
        "Cu&t": pgettext("Qt edit menu", "Cu&t"),
        "&Copy": pgettext("Qt edit menu", "&Copy"),
        "&Paste": pgettext("Qt edit menu", "&Paste"),
        "Delete": pgettext("Qt edit menu", "Delete"),
        "Select All": pgettext("Qt edit menu", "Select All"),
    }
    table = {("QPlatformTheme", source): text for source, text in button.items()}
    for context in ("QLineEdit", "QWidgetTextControl"):
        table.update({(context, source): text for source, text in edit_menu.items()})
    return table


class GettextQtTranslator(QTranslator):
    """Answers Qt's own strings listed in :func:`_qt_strings` from our gettext catalogs.

    Returns None (no translation) for everything else, and in English, so that Qt falls back to
    its own ``qtbase`` catalog and then to the source text.
    """

    def __init__(self, code: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self._table = {} if code == "en" else {
            key: text for key, text in _qt_strings().items() if text != key[1]
        }

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: D102
        return self._table.get((context, source_text))  # None, not "": "" blanks Qt's text

    def isEmpty(self) -> bool:  # noqa: N802 - Qt naming
        return not self._table

    def language(self) -> str:
        return self.code


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


def unambiguous_date_pattern(pattern: str) -> str:
    """A short date pattern (Qt's or CLDR's: both write ``d``, ``M``, ``y``) with a
    two-digit day and month and a four-digit year, keeping the language's order and
    separators: ``d/M/yy`` gives ``dd/MM/yyyy``. ``5/3/26`` leaves the century, and to a
    tired eye the order, in doubt."""
    pattern = re.sub(r"(?<!d)d{1,2}(?!d)", "dd", pattern)
    pattern = re.sub(r"(?<!M)M{1,2}(?!M)", "MM", pattern)
    return re.sub(r"y+", "yyyy", pattern)


def apply_locale(code: str) -> None:
    """Make ``code`` Qt's locale: the default for new widgets and, since setDefault does
    not reach existing ones, the locale of every open window (their children inherit it),
    so that number and date widgets and calendars follow a live switch."""
    locale = QLocale(code)
    QLocale.setDefault(locale)
    if isinstance(QCoreApplication.instance(), QApplication):
        for window in QApplication.topLevelWidgets():
            window.setLocale(locale)


def install_qt_translations(code: str, owner: QObject | None = None) -> bool:
    """Load Qt's own catalog for ``code`` (replacing the previous one); True if found."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    global _qt_translator, _gettext_translator
    for old in (_gettext_translator, _qt_translator):
        if old is not None:
            app.removeTranslator(old)
    _qt_translator = _gettext_translator = None
    apply_locale(code)
    if code == "en":
        return True
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    found = False
    for name in _QT_CATALOG_NAMES.get(code, (f"qtbase_{code}",)):
        translator = QTranslator(owner or app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _qt_translator = translator
            found = True
            break
    if not found:
        log.info("no Qt catalog for %s in %s", code, folder)
    # Installed last, so Qt asks it first.
    _gettext_translator = GettextQtTranslator(code, owner or app)
    if not _gettext_translator.isEmpty():
        app.installTranslator(_gettext_translator)
    return found
