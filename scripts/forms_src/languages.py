"""The six questionnaire languages and a compact way to write a translated text."""

from __future__ import annotations

#: (code, XLSForm language name), in the column order of the workbooks; Spanish first
#: because it is the default language of the study.
LANGUAGES: tuple[tuple[str, str], ...] = (
    ("es", "Español (es)"),
    ("en", "English (en)"),
    ("fr", "Français (fr)"),
    ("pt", "Português (pt)"),
    ("it", "Italiano (it)"),
    ("ru", "Русский (ru)"),
)
CODES = tuple(code for code, _name in LANGUAGES)
DEFAULT_LANGUAGE = "Español (es)"


def T(es: str, en: str, fr: str, pt: str, it: str, ru: str) -> dict[str, str]:  # noqa: N802
    """One text in the six languages, in the fixed order es, en, fr, pt, it, ru."""
    texts = {"es": es, "en": en, "fr": fr, "pt": pt, "it": it, "ru": ru}
    empty = [code for code, text in texts.items() if not text.strip()]
    if empty:
        raise ValueError(f"missing translation {empty} for {en!r}")
    return texts


#: The message shown when a required question is left empty.
REQUIRED = T(
    "Esta pregunta es obligatoria.",
    "This question is required.",
    "Cette question est obligatoire.",
    "Esta pergunta é obrigatória.",
    "Questa domanda è obbligatoria.",
    "Это обязательный вопрос.",
)
