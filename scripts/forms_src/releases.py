"""Which content each released version of the bundled questionnaires had.

A laptop installs a bundled questionnaire again only as a new version: the same ``version``
with other content is refused (old interviews must keep the form they were started on), so
a change that forgets to raise the version never reaches the field. Each version is
recorded here with a fingerprint of its rows; ``scripts/build_forms.py --check`` and the
tests fail when the content of a form no longer matches the fingerprint of its version.
"""

from __future__ import annotations

import hashlib
import json

from .workbook import FormSpec

#: form_id -> {version: fingerprint}, oldest first. Add a line with each new version.
RELEASED: dict[str, dict[str, str]] = {
    "diaspora_organizations": {
        "2026112701": "98514046262f8bfc",
        "2026112702": "316efc49d18c6b26",  # researcher from username, readable instance name
    },
    "quick_check": {
        "2026112701": "bfcaae6153bcad95",
        "2026112702": "f5521cf1570a0d86",  # no dangling space in the instance name
    },
}


def fingerprint(spec: FormSpec) -> str:
    """A hash of the form's rows and settings but its version (independent of the xlsx
    writer, so a library upgrade that changes the workbook's bytes changes nothing)."""
    settings = {key: value for key, value in spec.settings.items() if key != "version"}
    text = json.dumps(
        {"survey": spec.survey, "choices": spec.choices, "settings": settings},
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def release_problems(specs) -> list[str]:
    """What is wrong with the versions of ``specs`` (FormSpecs): empty when each form's
    version is recorded with its current content and is the newest recorded."""
    problems = []
    for spec in specs:
        form_id, version = spec.settings["form_id"], spec.settings["version"]
        known = RELEASED.get(form_id, {})
        if version not in known:
            problems.append(f"{form_id}: version {version} is not recorded in releases.py")
        elif known[version] != fingerprint(spec):
            problems.append(
                f"{form_id}: the content changed but the version is still {version}; "
                f"raise it and record {fingerprint(spec)} in releases.py"
            )
        elif version != list(known)[-1]:
            problems.append(f"{form_id}: version {version} is older than {list(known)[-1]}")
    return problems
