"""``forms/README.md``: the structure of each bundled questionnaire, generated from its rows
so that the description cannot drift from the workbooks."""

from __future__ import annotations

from .languages import LANGUAGES
from .workbook import FormSpec

META_TYPES = {"start", "end", "today", "deviceid", "username", "audit"}
NOT_QUESTIONS = META_TYPES | {"calculate", "begin_group", "end_group", "begin_repeat",
                              "end_repeat"}  # fmt: skip

INTRO = """\
# Bundled questionnaires

These XLSForms open in FieldSurvey, ODK Collect and KoboToolbox alike. They are generated:
edit the sources in `scripts/forms_src/` and run `python scripts/build_forms.py`, never the
workbooks by hand (a test compares the committed files with the generator's output, and this
page with the forms' rows).

Languages of both forms: {languages}; Spanish is the default.
"""


def _kind(row: dict) -> str:
    return row["type"].split()[0]


def _sections(spec: FormSpec) -> list[tuple[str, str, int]]:
    """(name, English label, questions) of each top-level group or repeat."""
    sections: list[list] = []
    depth = outside = 0
    for row in spec.survey:
        kind = _kind(row)
        if kind in ("begin_group", "begin_repeat"):
            if depth == 0:
                label = row.get("label", {}).get("en", row["name"])
                marker = " (repeat)" if kind == "begin_repeat" else ""
                sections.append([row["name"], label + marker, 0])
            depth += 1
        elif kind in ("end_group", "end_repeat"):
            depth -= 1
        elif kind not in NOT_QUESTIONS:
            if depth > 0:
                sections[-1][2] += 1
            else:
                outside += 1
    rows = [tuple(section) for section in sections]
    if outside:
        rows.insert(0, ("", "(outside any group)", outside))
    return rows


def _summary(spec: FormSpec) -> dict[str, int]:
    kinds = [_kind(row) for row in spec.survey]
    lists = {row["list_name"] for row in spec.choices}
    return {
        "questions": sum(kind not in NOT_QUESTIONS for kind in kinds),
        "notes": kinds.count("note"),
        "calculations": kinds.count("calculate"),
        "groups": kinds.count("begin_group"),
        "repeats": kinds.count("begin_repeat"),
        "required": sum("required" in row for row in spec.survey),
        "constraints": sum("constraint" in row for row in spec.survey),
        "relevant": sum("relevant" in row for row in spec.survey),
        "lists": len(lists),
        "choices": len(spec.choices),
    }


def render_readme(forms: dict[str, FormSpec], descriptions: dict[str, str]) -> str:
    """The Markdown text of ``forms/README.md``."""
    parts = [INTRO.format(languages=", ".join(f"`{name}`" for _code, name in LANGUAGES))]
    for file_name, spec in forms.items():
        settings = spec.settings
        counts = _summary(spec)
        parts.append(
            f"\n## `{file_name}`: {settings['form_title']}\n\n"
            f"{descriptions[file_name]}\n\n"
            f"form_id `{settings['form_id']}`, version `{settings['version']}`, "
            f"instance name `{settings['instance_name']}`.\n\n"
            f"- questions: {counts['questions']} (of which {counts['notes']} notes)\n"
            f"- calculations: {counts['calculations']}\n"
            f"- groups: {counts['groups']}; repeats: {counts['repeats']}\n"
            f"- required answers: {counts['required']}; constraints: {counts['constraints']}; "
            f"relevance conditions: {counts['relevant']}\n"
            f"- choice lists: {counts['lists']}, with {counts['choices']} choices\n\n"
            "| section | name | questions |\n| --- | --- | ---: |\n"
        )
        for name, label, questions in _sections(spec):
            shown = f"`{name}`" if name else ""
            parts.append(f"| {label} | {shown} | {questions} |\n")
    return "".join(parts)
