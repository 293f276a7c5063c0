"""Interface translation: ``from fieldsurvey.i18n import _, N_, ngettext, pgettext``.

Import ``_`` explicitly where it is used; nothing is installed in builtins. The Qt side
(a ``languageChanged`` signal, Qt's own translations) lives in :mod:`fieldsurvey.ui.i18n_qt`.
"""

from fieldsurvey.i18n.core import (
    LANGUAGES,
    N_,
    SOURCE_LANGUAGE,
    Translatable,
    _,
    add_language_listener,
    current_language,
    gettext,
    ngettext,
    normalize_language,
    npgettext,
    pgettext,
    reload_catalogs,
    remove_language_listener,
    set_language,
    system_language,
    translate_params,
)

__all__ = [
    "LANGUAGES",
    "SOURCE_LANGUAGE",
    "Translatable",
    "N_",
    "_",
    "add_language_listener",
    "current_language",
    "gettext",
    "ngettext",
    "normalize_language",
    "npgettext",
    "pgettext",
    "reload_catalogs",
    "remove_language_listener",
    "set_language",
    "system_language",
    "translate_params",
]
