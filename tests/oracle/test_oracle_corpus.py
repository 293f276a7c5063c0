"""FieldSurvey's engine agrees with ODK Web Forms' engine on the conformance corpus.

For every conformance XLSForm and seeds 1, 2, 3, the oracle's make-cases.py writes random
answer sequences (repeats added and removed included) with the oracle's output; FieldSurvey
runs them and compare.py's rules judge every node's value, relevance, required, readonly
and validity. Differences the oracle is known to get wrong against JavaRosa (Collect) are
listed in known-deviations.json files and reported apart, never dropped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import oracle_cases
import pytest

pytestmark = pytest.mark.oracle

_FORMS_DIR = oracle_cases.SHARED_DIR / "conformance" / "xlsforms"


def _forms() -> list[str]:
    if not _FORMS_DIR.is_dir():
        return ["(no corpus)"]
    return sorted(p.name for p in _FORMS_DIR.iterdir() if p.suffix.lower() in (".xlsx", ".xls"))


def _case_name(file_name: str) -> str:
    """The NAME make-cases.py gives a form's cases (its README: other characters become _)."""
    stem = Path(file_name).stem
    return "".join(c if c.isascii() and (c.isalnum() or c in "_-") else "_" for c in stem)


@pytest.mark.parametrize("seed", oracle_cases.CORPUS_SEEDS, ids=lambda s: f"seed{s}")
@pytest.mark.parametrize("form", _forms())
def test_fieldsurvey_agrees_with_the_odk_oracle(corpus, form, seed):
    name = _case_name(form)
    record = next((r for r in corpus.reports[seed]["forms"] if r["name"] == name), None)
    assert record is not None, f"make-cases.py did not report on {form}"
    if record["status"] != "ok":
        pytest.skip(f"no case for {form}: {record['status']}: {record.get('reason', '')}")
    results = [corpus.comparison.run(corpus.cases_dir / case) for case in record["cases"]]
    failed = [r for r in results if r["status"] == "failed"]
    assert not failed, "\n".join(oracle_cases.describe(r) for r in failed)
    if not any(r["status"] == "passed" for r in results):
        pytest.skip("; ".join(sorted({r["reason"] for r in results})))


def test_in_process_run_gives_what_the_command_line_prints(corpus):
    """The corpus runs FieldSurvey in-process; it must print the same as `form simulate`."""
    report = corpus.reports[oracle_cases.CORPUS_SEEDS[0]]
    # a case that adds or removes repeat instances, to cover the most of the engine
    candidates = [
        corpus.cases_dir / case
        for record in report["forms"]
        if record["status"] == "ok"
        for case in record["cases"]
        if '"add_repeat"' in (corpus.cases_dir / case).read_text(encoding="utf-8")
    ]
    assert candidates, "no corpus case adds a repeat instance"
    answers = candidates[0]
    form = corpus.cases_dir / (answers.name.split(".")[0] + ".xlsx")
    done = subprocess.run(
        [sys.executable, "-m", "fieldsurvey", "form", "simulate", str(form), "--answers",
         str(answers)],
        capture_output=True, text=True, encoding="utf-8", env={**os.environ, "LANGUAGE": "en"},
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    printed = json.loads(done.stdout)
    from fieldsurvey.forms import load_form

    spec = json.loads(answers.read_text(encoding="utf-8"))
    computed = oracle_cases.simulate(load_form(form).definition, spec)
    assert computed["nodes"] == printed["nodes"]
    assert computed["instance"] == printed["instance"]
    assert [e["path"] for e in computed["errors"]] == [e["path"] for e in printed.get("errors", [])]
