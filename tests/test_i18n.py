"""Interface translations: the catalogs are complete for the strings in the code, plural
forms are right for each language, errors and command-line messages are shown translated,
and numbers and dates follow the interface language."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from fieldsurvey.i18n import LANGUAGES, N_, _, ngettext, pgettext, set_language, system_language

REPO_ROOT = Path(__file__).resolve().parents[1]
TRANSLATED = ("es", "fr", "pt", "it", "ru")


def load_i18n_script():
    """``scripts/i18n.py``, the command that extracts, updates, compiles and checks."""
    spec = importlib.util.spec_from_file_location("i18n_script", REPO_ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def i18n_script():
    return load_i18n_script()


@pytest.fixture(scope="module")
def template(i18n_script):
    """The strings marked in the code right now (extracted, not read from the .pot)."""
    return i18n_script.extract_template()


# -- the catalogs against the code -----------------------------------------------------

@pytest.mark.parametrize("code", TRANSLATED)
def test_every_string_of_the_code_is_translated(i18n_script, template, code):
    problems = i18n_script.check(languages=[code], template=template)[code]
    assert not problems, (
        f"{len(problems)} problems in translations/{code}; run `python scripts/i18n.py update`, "
        "translate, then `check`:\n" + "\n".join(problems[:40])
    )


def test_extraction_finds_every_keyword(template):
    """_, N_, ngettext, pgettext and the settings' titles all reach the template."""
    ids = {(m.context, m.id) for m in template if m.id}
    assert (None, "Interface language") in ids  # N_ in settings.py
    assert (None, "Something went wrong.") in ids  # _ in the GUI
    assert (None, WARNINGS) in ids  # ngettext
    assert ("Qt button", "Cancel") in ids  # pgettext
    assert len(ids) > 300


def _catalog(code: str, entries) -> Catalog:
    catalog = Catalog(locale=code)
    for msgid, msgstr, *flags in entries:
        catalog.add(msgid, msgstr, flags=flags)
    return catalog


def test_the_check_finds_missing_empty_fuzzy_and_changed_placeholders(i18n_script):
    template = _catalog("fr", [
        ("Saved {time}", ""), ("Sheet %s", ""), ("Row %(row)d", ""), ("Missing", ""),
        ("Empty", ""), ("Fuzzy", ""), ("Fine {n}", ""), (("{n} file", "{n} files"), ("", "")),
    ])
    catalog = _catalog("fr", [
        ("Saved {time}", "Enregistré {heure}"),   # a translated placeholder name
        ("Sheet %s", "Feuille"),                  # a lost %s
        ("Row %(row)d", "Ligne %(row)d"),
        ("Empty", ""),
        ("Fuzzy", "Flou", "fuzzy"),
        ("Fine {n}", "Bien {n}"),
        (("{n} file", "{n} files"), ("{n} fichier", "fichiers")),  # a plural form lost {n}
    ])
    catalog.mime_headers = [("Plural-Forms", i18n_script.PLURAL_FORMS["fr"])]
    problems = "\n".join(i18n_script.catalog_problems(catalog, template, "fr"))
    assert "placeholders differ: 'Saved {time}'" in problems
    assert "placeholders differ: 'Sheet %s'" in problems
    assert "'Row %(row)d'" not in problems
    assert "missing: 'Missing'" in problems
    assert "empty: 'Empty'" in problems
    assert "fuzzy: 'Fuzzy'" in problems
    assert "'Fine {n}'" not in problems
    assert "placeholders differ: '{n} file'" in problems


def test_placeholders_are_read_like_python_reads_them(i18n_script):
    found = i18n_script.placeholders
    assert found("{a} {b:.1f} {{literal}} %s %(x)s 100%%") == {
        "{a}": 1, "{b:.1f}": 1, "%s": 1, "%(x)s": 1}
    assert found("{n} of {n}")["{n}"] == 2


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalog_headers_declare_the_language_and_its_plural_forms(i18n_script, code):
    catalog = i18n_script.read_catalog(i18n_script.po_path(code), code)
    assert str(catalog.locale) == code
    assert catalog.plural_forms == i18n_script.PLURAL_FORMS[code]


# -- plural forms at run time ----------------------------------------------------------

WARNINGS = ("The questionnaire has {n} warning.", "The questionnaire has {n} warnings.")


@pytest.mark.parametrize(("code", "counts"), [
    ("ru", {1: "1 предупреждение", 3: "3 предупреждения", 5: "5 предупреждений",
            11: "11 предупреждений", 21: "21 предупреждение", 22: "22 предупреждения",
            112: "112 предупреждений"}),
    ("fr", {0: "0 avertissement.", 1: "1 avertissement.", 2: "2 avertissements."}),
    ("es", {0: "0 advertencias", 1: "1 advertencia.", 2: "2 advertencias"}),
    ("pt", {1: "1 aviso.", 7: "7 avisos"}),
    ("it", {1: "1 avviso.", 7: "7 avvisi"}),
    ("en", {1: "1 warning.", 7: "7 warnings"}),
])
def test_plural_forms_follow_each_language(code, counts):
    set_language(code)
    for n, expected in counts.items():
        assert expected in ngettext(*WARNINGS, n).format(n=n)


def test_russian_plurals_have_three_forms_in_the_catalog(i18n_script):
    catalog = i18n_script.read_catalog(i18n_script.po_path("ru"), "ru")
    plurals = [m for m in catalog if m.id and m.pluralizable]
    assert plurals, "no ngettext string in the code?"
    assert all(len(m.string) == 3 and all(m.string) for m in plurals)


# -- the words a user sees ---------------------------------------------------------------

@pytest.mark.parametrize(("code", "word"), [
    ("es", "Encuestador"), ("fr", "Enquêteur"), ("pt", "Entrevistador"),
    ("it", "Rilevatore"), ("ru", "Интервьюер"),
])
def test_field_vocabulary_of_the_glossary(code, word):
    set_language(code)
    assert _("Enumerator") == word


#: translations/GLOSSARY.md: the stem every translation of these words must contain.
GLOSSARY = {
    "interview": {"es": "entrevist", "fr": "entretien", "pt": "entrevist", "it": "intervist",
                  "ru": "интервью"},
    "questionnaire": {"es": "cuestionario", "fr": "questionnaire", "pt": "questionário",
                      "it": "questionari", "ru": "анкет"},
    "enumerator": {"es": "encuestador", "fr": "enquêteur", "pt": "entrevistador",
                   "it": "rilevator", "ru": "интервьюер"},
}


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_screen_uses_the_glossary_words(i18n_script, code):
    """A string that speaks of interviews, questionnaires or enumerators uses the glossary's
    word for them in every translation (no "encuesta" here and "entrevista" there)."""
    catalog = i18n_script.read_catalog(i18n_script.po_path(code), code)
    off = []
    for message in catalog:
        if not message.id:
            continue
        english = re.sub(r"\{[^}]*\}", "", i18n_script._as_tuple(message.id)[0]).lower()
        for word, stems in GLOSSARY.items():
            if re.search(rf"\b{word}", english):
                off += [(word, text) for text in i18n_script._as_tuple(message.string)
                        if text and stems[code] not in text.lower()]
    assert not off, off


def test_switching_language_changes_every_later_lookup():
    set_language("fr")
    assert _("New interview") == "Nouvel entretien"
    assert pgettext("Qt button", "Cancel") == "Annuler"
    set_language("it")
    assert _("New interview") == "Nuova intervista"
    assert set_language("xx") == "en"
    assert _("New interview") == "New interview"


def test_core_errors_are_marked_in_english_and_shown_translated():
    from fieldsurvey.errors import StoreError

    error = StoreError(N_("The database {name} is locked by another program. Close it and try again."),
                       params={"name": "fieldsurvey.sqlite3"}, path="C:/data/fieldsurvey.sqlite3")
    set_language("es")
    shown = error.translated()
    assert "La base de datos fieldsurvey.sqlite3 está bloqueada por otro programa" in shown
    assert shown.startswith("C:/data/fieldsurvey.sqlite3")
    assert "is locked" in error.english()


def test_words_marked_in_error_params_are_translated_with_the_message():
    from fieldsurvey.errors import StoreError
    from fieldsurvey.i18n import Translatable
    from fieldsurvey.store import STATUS_LABELS, InterviewStatus, status_label

    error = StoreError(N_("The interview {name} has the status “{status}”; reopen it for "
                          "correction before changing answers."),
                       params={"name": "Club", "status": Translatable(N_("Sent"))})
    set_language("fr")
    assert "« Envoyé »" in error.translated() and "Club" in error.translated()
    assert "“Sent”" in error.english()
    # The interview list and the messages share one set of status names.
    assert set(STATUS_LABELS) == set(InterviewStatus)
    assert status_label("draft") == "Brouillon" and status_label("unknown") == "unknown"
    set_language("ru")
    assert status_label(InterviewStatus.FINALIZED) == "Завершено"


def test_error_context_words_are_translated():
    from fieldsurvey.errors import FormError

    error = FormError(N_("The XLSForm {name} has an error."), params={"name": "f.xlsx"},
                      sheet="survey", row=7)
    set_language("ru")
    assert "лист survey" in error.translated() and "строка 7" in error.translated()


def test_system_language_is_used_when_it_is_one_of_the_six(monkeypatch):
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "pt_BR.UTF-8")
    assert system_language() == "pt"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    monkeypatch.setattr("locale.getlocale", lambda *a: ("de_DE", "UTF-8"))
    assert system_language() == "en"
    assert set(LANGUAGES) == {"en", "es", "fr", "pt", "it", "ru"}


def test_command_line_speaks_the_chosen_language(capsys):
    from fieldsurvey.cli.main import main

    with pytest.raises(SystemExit) as exited:
        main(["--lang", "fr", "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "langue de l'interface : en, es, fr, pt, it ou ru" in out
    assert "interface language:" not in out
    # argparse's own words too.
    assert out.startswith("utilisation : fieldsurvey")
    assert "afficher ce message d'aide et quitter" in out


def test_command_line_usage_errors_are_translated(capsys):
    from fieldsurvey.cli.main import main

    with pytest.raises(SystemExit) as exited:
        main(["--lang", "ru", "db", "nope"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "ошибка: аргумент ACTION: недопустимый вариант: 'nope'" in err


# -- compiled catalogs -------------------------------------------------------------------

def test_compiled_catalogs_are_what_the_app_loads(i18n_script, tmp_path):
    import gettext

    written = i18n_script.compile_catalogs(dest=tmp_path)
    assert sorted(p.parent.parent.name for p in written) == sorted(TRANSLATED)
    with (tmp_path / "ru" / "LC_MESSAGES" / "fieldsurvey.mo").open("rb") as fh:
        ru = gettext.GNUTranslations(fh)
    assert ru.gettext("Interviews") == "Интервью"
    assert ru.ngettext(*WARNINGS, 3) == "В анкете {n} предупреждения."


def test_mo_files_are_not_committed():
    ignore = (REPO_ROOT / ".gitignore").read_text(encoding="utf-8")
    assert "*.mo" in ignore.split()


# -- numbers and dates ---------------------------------------------------------------------

@pytest.mark.parametrize(("code", "expected"), [
    ("fr", "12\u202f345,6"), ("es", "12.345,6"), ("it", "12.345,6"), ("pt", "12.345,6"),
    ("ru", "12\u00a0345,6"), ("en", "12,345.6"),
])
def test_numbers_follow_the_interface_language(code, expected):
    from fieldsurvey.i18n.formatting import format_number, parse_decimal

    set_language(code)
    assert format_number(12345.6) == expected
    assert parse_decimal(expected) == Decimal("12345.6")


def test_typed_numbers_are_read_in_the_language_conventions():
    from fieldsurvey.i18n.formatting import NumberParseError, format_decimal, parse_decimal

    set_language("fr")
    assert parse_decimal("12 345,6") == Decimal("12345.6")  # a plain space, as typed
    assert parse_decimal("1234,5") == Decimal("1234.5")
    assert format_decimal(2.5, decimals=2) == "2,50"
    set_language("es")
    with pytest.raises(NumberParseError) as refused:
        parse_decimal("12,34.5")
    assert "no es un número" in str(refused.value) and "1.234,5" in str(refused.value)
    with pytest.raises(NumberParseError):  # a comma is not a decimal separator in English
        parse_decimal("1,5", language="en")


def test_dates_follow_the_interface_language():
    from fieldsurvey.i18n.formatting import format_date, format_datetime, format_time

    day = dt.date(2024, 5, 3)
    set_language("fr")
    assert format_date(day) == "3 mai 2024"
    assert format_date(day, format="short") == "03/05/2024"
    set_language("ru")
    assert format_date(day) == "3 мая 2024\u202fг."
    assert format_time(dt.time(14, 5)) == "14:05"
    set_language("en")
    assert format_date(day, format="short") == "5/3/24"
    moment = dt.datetime(2024, 5, 3, 14, 5, tzinfo=dt.UTC)
    assert format_datetime(moment, tzinfo=dt.UTC, language="es") == "3 may 2024, 14:05:00"
