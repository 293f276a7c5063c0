#!/usr/bin/env python3
"""Interface translations: extract, update, compile and check the gettext catalogs.

    python scripts/i18n.py extract   strings of src/fieldsurvey -> translations/fieldsurvey.pot
    python scripts/i18n.py update    extract, then merge the template into every language's .po
                                     (new languages get a catalog with the right Plural-Forms)
    python scripts/i18n.py compile   .po -> .mo beside it (not committed; the app compiles
                                     in memory when no up-to-date .mo is there)
    python scripts/i18n.py check     fail (exit 1) when a catalog misses a string of the code,
                                     has an empty or fuzzy entry, a wrong number of plural
                                     forms, or placeholders that differ from the English

Only Babel's Python API is used, so it works on Windows without GNU gettext. Run it with
the project's virtual environment (``.venv/bin/python scripts/i18n.py ...``). The workflow
after changing strings in the code: ``update``, translate what is new or fuzzy in each
``translations/<code>/LC_MESSAGES/fieldsurvey.po`` (see ``translations/GLOSSARY.md``), then
``check``.
"""

from __future__ import annotations

import argparse
import re
import string
import sys
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT / "src" / "fieldsurvey"
TRANSLATIONS = ROOT / "translations"
DOMAIN = "fieldsurvey"
TEMPLATE = TRANSLATIONS / f"{DOMAIN}.pot"
KEYWORDS = ["_", "N_", "gettext", "ngettext:1,2", "pgettext:1c,2", "npgettext:1c,2,3"]
#: Comments in the code that start with this reach the translators: ``# TRANSLATORS: ...``
COMMENT_TAGS = ["TRANSLATORS:"]

#: English is the language of the source strings: it needs no catalog.
LANGUAGES = ("es", "fr", "pt", "it", "ru")
#: gettext's usual rules. Babel's CLDR data would give Spanish, French, Italian and
#: Portuguese a third form for exact millions, which no translator expects in a UI.
PLURAL_FORMS = {
    "es": "nplurals=2; plural=(n != 1);",
    "it": "nplurals=2; plural=(n != 1);",
    "pt": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
          "(n%100<10 || n%100>=20) ? 1 : 2);",
}


def po_path(code: str, root: Path = TRANSLATIONS) -> Path:
    return root / code / "LC_MESSAGES" / f"{DOMAIN}.po"


# -- extract ---------------------------------------------------------------------------

def extract_template(source: Path = SOURCE_DIR) -> Catalog:
    """A template catalog with every string marked in the Python code below ``source``."""
    template = Catalog(
        project="FieldSurvey", msgid_bugs_address="", copyright_holder="The FieldSurvey developers",
        fuzzy=False, creation_date=datetime(2024, 1, 1, tzinfo=UTC),
    )
    keywords = parse_keywords(KEYWORDS)
    for filename, lineno, message, comments, context in extract_from_dir(
        source, method_map=[("**.py", "python")], keywords=keywords,
        comment_tags=COMMENT_TAGS, strip_comment_tags=True,
    ):
        location = (str(Path("src/fieldsurvey") / filename).replace("\\", "/"), lineno)
        template.add(message, None, [location], auto_comments=comments, context=context)
    return template


def write_catalog(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Locations without line numbers: a moved line does not churn every catalog.
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, sort_output=False, include_lineno=False,
                 omit_header=False, ignore_obsolete=True)


def read_catalog(path: Path, code: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=code, abort_invalid=True)


def cmd_extract() -> int:
    template = extract_template()
    write_catalog(template, TEMPLATE)
    print(f"{len(template)} strings -> {TEMPLATE.relative_to(ROOT)}")
    return 0


# -- update ----------------------------------------------------------------------------

HEADER_COMMENT = """\
# {language} interface of FieldSurvey (see translations/GLOSSARY.md for the vocabulary).
# This file is distributed under the same license as FieldSurvey.
#"""


def new_catalog(code: str) -> Catalog:
    from babel import Locale

    language = Locale.parse(code).get_display_name("en")
    catalog = Catalog(locale=code, project="FieldSurvey", fuzzy=False,
                      copyright_holder="The FieldSurvey developers",
                      header_comment=HEADER_COMMENT.format(language=language),
                      last_translator="The FieldSurvey developers",
                      language_team=f"FieldSurvey {language}")
    catalog.mime_headers = [("Plural-Forms", PLURAL_FORMS[code])]
    return catalog


def update_catalog(catalog: Catalog, template: Catalog, code: str) -> Catalog:
    """Merge ``template`` into ``catalog``: new strings empty, changed ones fuzzy with the
    nearest old translation as a starting point, removed ones dropped."""
    catalog.update(template, no_fuzzy_matching=False, update_header_comment=False)
    catalog.mime_headers = [("Plural-Forms", PLURAL_FORMS[code])]
    catalog.obsolete.clear()
    return catalog


def cmd_update() -> int:
    template = extract_template()
    write_catalog(template, TEMPLATE)
    for code in LANGUAGES:
        path = po_path(code)
        catalog = read_catalog(path, code) if path.is_file() else new_catalog(code)
        update_catalog(catalog, template, code)
        write_catalog(catalog, path)
        problems = catalog_problems(catalog, template, code)
        print(f"{code}: {len(catalog)} strings, {len(problems)} to translate or review")
    return 0


# -- compile ---------------------------------------------------------------------------

def compile_catalogs(root: Path = TRANSLATIONS, dest: Path | None = None) -> list[Path]:
    """Write ``<code>/LC_MESSAGES/fieldsurvey.mo`` for every catalog below ``root`` (into
    ``dest`` when given, else beside the .po). Fuzzy entries stay out, as at run time."""
    written = []
    for po in sorted(root.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        code = po.parent.parent.name
        catalog = read_catalog(po, code)
        target = (dest or root) / code / "LC_MESSAGES" / f"{DOMAIN}.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        written.append(target)
    return written


def cmd_compile() -> int:
    for path in compile_catalogs():
        print(path.relative_to(ROOT))
    return 0


# -- check -----------------------------------------------------------------------------

_PERCENT = re.compile(r"%(?:\([A-Za-z_]\w*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")


def placeholders(text: str) -> Counter:
    """The ``{name}`` and ``%s`` / ``%(x)s`` placeholders of ``text``, as a multiset."""
    found: Counter = Counter()
    for match in _PERCENT.finditer(text):
        if match.group() != "%%":
            found[match.group()] += 1
    try:
        for _literal, field, spec, conversion in string.Formatter().parse(text):
            if field is not None:
                found["{" + field + (f"!{conversion}" if conversion else "")
                      + (f":{spec}" if spec else "") + "}"] += 1
    except ValueError:  # a lone brace: not a format string, compare it as a character
        found["{"] += text.count("{")
        found["}"] += text.count("}")
    return found


def _as_tuple(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def _describe(message: Message) -> str:
    msgid = _as_tuple(message.id)[0]
    ctx = f"[{message.context}] " if message.context else ""
    return f"{ctx}{msgid!r}"


def catalog_problems(catalog: Catalog, template: Catalog, code: str) -> list[str]:
    """Everything that keeps ``catalog`` from being complete for ``template``."""
    problems = []
    expected_plurals = int(re.search(r"nplurals=(\d+)", PLURAL_FORMS[code]).group(1))
    if catalog.num_plurals != expected_plurals:
        problems.append(f"Plural-Forms has {catalog.num_plurals} forms, not {expected_plurals}")
    for wanted in template:
        if not wanted.id:
            continue
        message = catalog.get(wanted.id, context=wanted.context)
        if message is None:
            problems.append(f"missing: {_describe(wanted)}")
            continue
        ids = _as_tuple(message.id)
        strings = _as_tuple(message.string)
        if message.fuzzy:
            problems.append(f"fuzzy: {_describe(message)}")
        if not all(strings):
            problems.append(f"empty: {_describe(message)}")
            continue
        if message.pluralizable and len(strings) != expected_plurals:
            problems.append(f"{len(strings)} plural forms instead of {expected_plurals}: "
                            f"{_describe(message)}")
        # Every form of a plural is used with the plural's arguments.
        original = placeholders(ids[-1])
        for text in strings:
            if set(placeholders(text)) != set(original) or (
                    not message.pluralizable and placeholders(text) != original):
                problems.append(f"placeholders differ: {_describe(message)} -> {text!r}")
    return problems


def check(root: Path = TRANSLATIONS, languages: Iterable[str] = LANGUAGES,
          template: Catalog | None = None) -> dict[str, list[str]]:
    """Problems per language, comparing each catalog with the strings now in the code."""
    template = template or extract_template()
    report = {}
    for code in languages:
        path = po_path(code, root)
        if not path.is_file():
            report[code] = [f"no catalog at {path.relative_to(root.parent)}"]
            continue
        report[code] = catalog_problems(read_catalog(path, code), template, code)
    return report


def cmd_check() -> int:
    report = check()
    failed = False
    for code, problems in report.items():
        for problem in problems:
            print(f"{code}: {problem}")
        failed = failed or bool(problems)
        print(f"{code}: {'OK' if not problems else f'{len(problems)} problems'}")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["extract", "update", "compile", "check"])
    args = parser.parse_args(argv)
    return {"extract": cmd_extract, "update": cmd_update, "compile": cmd_compile,
            "check": cmd_check}[args.command]()


if __name__ == "__main__":
    sys.exit(main())
