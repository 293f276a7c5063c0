#!/usr/bin/env python3
"""Write the bundled questionnaires (``forms/*.xlsx``) from their sources in ``forms_src/``.

    python scripts/build_forms.py            write the workbooks into forms/
    python scripts/build_forms.py --check    exit 1 if a committed workbook is out of date
                                             or a form changed without a new version

The workbooks are generated so that their content stays reviewable as text; building twice
gives the same bytes, so ``--check`` (and the tests) can compare them with the committed files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

SCRIPTS_DIR = Path(__file__).resolve().parent
if str(SCRIPTS_DIR) not in sys.path:
    sys.path.insert(0, str(SCRIPTS_DIR))

from forms_src import diaspora, quick_check  # noqa: E402
from forms_src.readme import render_readme  # noqa: E402
from forms_src.releases import release_problems  # noqa: E402
from forms_src.workbook import FormSpec, workbook_bytes  # noqa: E402

FORMS_DIR = SCRIPTS_DIR.parent / "forms"

#: File name -> questionnaire.
FORMS: dict[str, FormSpec] = {
    "diaspora_organizations.xlsx": diaspora.SPEC,
    "quick_check.xlsx": quick_check.SPEC,
}

DESCRIPTIONS = {
    "diaspora_organizations.xlsx": (
        "The study questionnaire: how diaspora organizations of Central America and Mexico "
        "link countries of destination and origin, and how governments can enable, engage "
        "and empower them (IOM / LEES). An interview with a representative of one "
        "organization; refusing consent ends it. Origin departments and states cascade from "
        "the countries chosen (Mexico 32, Guatemala 22, El Salvador 14, Honduras 18, "
        "Nicaragua 17, Costa Rica 7, Panama 10 provinces and 6 comarcas, Belize 6)."
    ),
    "quick_check.xlsx": (
        "A short form with each question type once (text, integer, decimal, range, "
        "select_one, select_multiple, minimal and autocomplete selects, rank, note, date, "
        "time, dateTime, geopoint, image, file, barcode, acknowledge, calculate, a "
        "field-list group, a repeat, a required question and a constraint with a message), "
        "for trying the application and for tests."
    ),
}
README = "README.md"


def outputs() -> dict[str, bytes]:
    """Every generated file of ``forms/``: the workbooks and the README."""
    files = {name: workbook_bytes(spec) for name, spec in FORMS.items()}
    files[README] = render_readme(FORMS, DESCRIPTIONS).encode("utf-8")
    return files


def build(out_dir: Path) -> list[Path]:
    """Write every generated file into ``out_dir``; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, content in outputs().items():
        path = out_dir / file_name
        path.write_bytes(content)
        written.append(path)
    return written


def stale(forms_dir: Path = FORMS_DIR) -> list[str]:
    """Names of the committed files that differ from what the sources generate."""
    return [
        name
        for name, content in outputs().items()
        if not (forms_dir / name).is_file() or (forms_dir / name).read_bytes() != content
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare, write nothing")
    parser.add_argument("--out", type=Path, default=FORMS_DIR, help="output folder")
    args = parser.parse_args(argv)
    problems = release_problems(FORMS.values())
    for problem in problems:
        print(problem, file=sys.stderr)
    if args.check:
        names = stale(args.out)
        for name in names:
            print(f"{name} is out of date: run scripts/build_forms.py", file=sys.stderr)
        return 1 if names or problems else 0
    for path in build(args.out):
        print(f"wrote {path.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
