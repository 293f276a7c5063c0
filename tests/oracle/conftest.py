"""Fixtures of the oracle tests: ODK Web Forms' engine (../shared/oracle) installed once.

The oracle is copied to a temporary folder (../shared is read-only in CI) where `npm ci`
runs once per test run. Without ../shared/oracle or Node the tests skip; when `npm ci`
fails they skip too, except in CI (CI=true), where that is a failure.
$FIELDSURVEY_ORACLE_CASES names a case folder made by `scripts/oracle_cases.py --out`,
so the corpus tests run without Node.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


# scripts/oracle_cases.py holds the harness; the test modules import it too.
sys.path.insert(0, str(REPO_ROOT / "scripts"))

import oracle_cases  # noqa: E402

#: Comparisons made during the run, summed up at the end of the terminal report.
_COMPARISONS: dict[str, object] = {}


@dataclass
class Corpus:
    cases_dir: Path
    reports: dict  # seed -> make-cases.py's report
    comparison: object  # oracle_cases.Comparison


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1")


@pytest.fixture(scope="session")
def oracle_source() -> Path:
    source = oracle_cases.SHARED_DIR / "oracle"
    if not (source / "compare.py").is_file():
        pytest.skip("the ODK oracle (../shared/oracle) is not beside this checkout")
    return source


@pytest.fixture(scope="session")
def oracle_dir(oracle_source, tmp_path_factory) -> Path:
    """A copy of the oracle with its Node modules installed."""
    problem = oracle_cases.node_problem()
    if problem:
        pytest.skip(f"the ODK oracle needs Node: {problem}")
    try:
        return oracle_cases.install(oracle_source, tmp_path_factory.mktemp("oracle") / "oracle")
    except oracle_cases.OracleSetupError as exc:
        if _in_ci():
            pytest.fail(f"the ODK oracle cannot be installed: {exc}")
        pytest.skip(f"the ODK oracle cannot be installed: {exc}")


@pytest.fixture(scope="session")
def oracle_comparison(oracle_dir):
    """Runs both engines on answers of forms written by the tests (oracle run live)."""
    comparison = oracle_cases.Comparison(oracle_dir)
    _COMPARISONS["forms of the property tests"] = comparison
    yield comparison
    comparison.close()


@pytest.fixture(scope="session")
def corpus(request, oracle_source, tmp_path_factory) -> Corpus:
    """Cases of the conformance corpus for seeds 1, 2, 3, with the oracle's expected output."""
    cached = os.environ.get("FIELDSURVEY_ORACLE_CASES")
    seeds = oracle_cases.CORPUS_SEEDS
    if cached:
        cases_dir = Path(cached)
        reports = oracle_cases.read_reports(cases_dir, seeds)
        comparison = oracle_cases.Comparison(oracle_source)  # compare.py only: no Node needed
    else:
        oracle = request.getfixturevalue("oracle_dir")
        cases_dir = tmp_path_factory.mktemp("oracle-cases")
        forms = oracle_cases.SHARED_DIR / "conformance" / "xlsforms"
        reports = {
            seed: oracle_cases.make_cases(
                oracle, forms, cases_dir, seed, oracle_cases.CASES_PER_FORM
            )
            for seed in seeds
        }
        comparison = oracle_cases.Comparison(oracle)
    _COMPARISONS["conformance corpus"] = comparison
    return Corpus(cases_dir, reports, comparison)


def pytest_terminal_summary(terminalreporter):
    """The figures: cases, per-field agreement, known deviations met."""
    for title, comparison in _COMPARISONS.items():
        if comparison.results:
            terminalreporter.write_sep("-", f"ODK oracle comparison: {title}")
            terminalreporter.write_line(oracle_cases.format_summary(comparison.summary()))
