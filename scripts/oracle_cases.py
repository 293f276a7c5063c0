#!/usr/bin/env python3
"""Compare FieldSurvey's form engine with ODK Web Forms' engine, the oracle in ../shared/oracle.

    python scripts/oracle_cases.py                 install the oracle in a temporary folder,
                                                   generate cases for the conformance corpus
                                                   (seeds 1, 2, 3) and print the comparison
    python scripts/oracle_cases.py --out DIR       also keep the cases (answers and the oracle's
                                                   expected output) in DIR; the tests then read
                                                   them from $FIELDSURVEY_ORACLE_CASES without Node
    python scripts/oracle_cases.py --json          the figures as JSON

Options: --seeds 1 2 3, --cases K (per form and seed, default 2), --oracle DIR (a copy of the
oracle where `npm ci` already ran), --shared DIR (default ../shared beside the checkout).

The oracle's own `compare.py` starts `python -m fieldsurvey form simulate` for every case,
which takes minutes for the corpus; here FieldSurvey runs in this process, each form loaded
once, and `compare.py` is imported only to judge the results, so both ways give the same
verdicts. Known deviations: the oracle's `known-deviations.json` plus ours in
tests/oracle/known-deviations.json (oracle faults only, each with its JavaRosa reference).
The tests in tests/oracle/ import this file.
"""

from __future__ import annotations

import argparse
import fnmatch
import importlib.util
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("FIELDSURVEY_SHARED_DIR", ROOT.parent / "shared"))
OUR_KNOWN = ROOT / "tests" / "oracle" / "known-deviations.json"
CORPUS_SEEDS = (1, 2, 3)
CASES_PER_FORM = 2
PRUNE_ROUNDS = 4  # as make-cases.py: a dropped answer can make later ones fail
NODE_MIN = (20, 19)  # the oracle's package.json: node ^20.19.3 || ^22.13.0 || >=24.11.0


class OracleSetupError(Exception):
    """The oracle cannot be installed or run here (no Node, npm ci failed...)."""


# ---------------------------------------------------------------------------
# Installing the oracle.
# ---------------------------------------------------------------------------


def node_problem() -> str | None:
    """Why Node cannot run the oracle here, or None."""
    node = shutil.which("node")
    if not node:
        return "node is not on PATH (the oracle needs Node >= 20.19)"
    try:
        version = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"node does not run: {exc}"
    text = version.stdout.strip().lstrip("v")
    try:
        major_minor = tuple(int(x) for x in text.split(".")[:2])
    except ValueError:
        return f"cannot read node's version {text!r}"
    if major_minor < NODE_MIN:
        return f"node {text} is too old for the oracle (it needs >= 20.19)"
    return None


def install(source: Path, dest: Path) -> Path:
    """Copy the oracle (``source`` may be read-only) to ``dest`` and run ``npm ci`` there."""
    if not (source / "package-lock.json").is_file():
        raise OracleSetupError(f"{source} is not the oracle folder (no package-lock.json)")
    problem = node_problem()
    if problem:
        raise OracleSetupError(problem)
    npm = shutil.which("npm")
    if not npm:
        raise OracleSetupError("npm is not on PATH")
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("node_modules"))
    for path in [dest, *dest.rglob("*")]:  # the copy keeps the read-only modes of ../shared
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=dest, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    if done.returncode != 0:
        raise OracleSetupError(f"npm ci failed in {dest}: {(done.stderr or done.stdout)[-800:]}")
    if not (dest / "node_modules" / "@getodk" / "xforms-engine").is_dir():
        raise OracleSetupError(f"npm ci did not install @getodk/xforms-engine in {dest}")
    return dest


def _import(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_compare(oracle: Path):
    """The oracle's compare.py as a module (its judging and summary functions)."""
    return _import(oracle / "compare.py", "oracle_compare")


def live_oracle(oracle: Path):
    """One ``node oracle.mjs --batch`` process: ``.run(xform_path, spec) -> output``."""
    if str(oracle) not in sys.path:
        sys.path.insert(0, str(oracle))  # make-cases.py imports fuzzcases beside it
    return _import(oracle / "make-cases.py", "oracle_make_cases").Oracle()


#: What compare.py cannot match (it knows only form, path, field and two node kinds): a
#: node one engine lists and the other does not ("extra"/"missing"), a node inside a repeat
#: with jr:count ("node": "in_counted_repeat"), and a pair of values ("values").
OWN_FIELDS = ("extra", "missing")
OWN_NODE = "in_counted_repeat"
OWN_KEYS = {"id", "title", "reason", "spec", "form", "path", "fields", "node", "values"}
JR_COUNT = "{http://openrosa.org/javarosa}count"


def known_deviations(compare, oracle: Path, ours: Path = OUR_KNOWN) -> tuple[list, list]:
    """(entries compare.py applies: the oracle's file and ours, entries matched here).

    Our entries use compare.py's format; those it cannot match (see OWN_FIELDS) are
    matched here, after compare.py's verdict.
    """
    data = json.loads(ours.read_text(encoding="utf-8"))
    plain, own = [], []
    for entry in data["deviations"]:
        fields = entry.get("fields", [])
        if entry.get("node") == OWN_NODE or set(fields) & set(OWN_FIELDS) or "values" in entry:
            problems = [k for k in ("id", "reason", "spec", "fields") if not entry.get(k)]
            problems += sorted(set(entry) - OWN_KEYS)
            problems += [f for f in fields if f not in OWN_FIELDS + compare.FIELDS]
            values = entry.get("values", {})
            if not isinstance(values, dict) or set(values) - {"oracle", "fieldsurvey"}:
                problems.append("values")
            if problems:
                raise OracleSetupError(f"{ours}: entry {entry.get('id')!r}: missing or "
                                       f"wrong: {', '.join(problems)}")  # fmt: skip
            own.append({"form": "*", "path": "*", **entry})
        else:
            plain.append(entry)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump({"deviations": plain}, fh)
    try:  # compare.py validates the keys (a misspelt key is an error, not a silent non-match)
        plain = compare.load_known(fh.name)
    finally:
        os.unlink(fh.name)
    return compare.load_known(str(oracle / "known-deviations.json")) + plain, own


def counted_repeats(xform_path: str) -> set[str]:
    """Nodesets of the repeats whose instance count is set by jr:count."""
    import xml.etree.ElementTree as ET

    return {
        el.get("nodeset")
        for el in ET.parse(xform_path).getroot().iter("{http://www.w3.org/2002/xforms}repeat")
        if el.get(JR_COUNT) and el.get("nodeset")
    }


# ---------------------------------------------------------------------------
# Generating the corpus cases.
# ---------------------------------------------------------------------------


def make_cases(oracle: Path, forms: Path, out: Path, seed: int, per_form: int) -> dict:
    """Run make-cases.py for one seed; return its report (make-cases-seedS.json)."""
    out.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, str(oracle / "make-cases.py"), "--out", str(out),
           "--seed", str(seed), "--cases", str(per_form), str(forms)]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise OracleSetupError(f"make-cases.py failed (seed {seed}): {done.stderr[-800:]}")
    return json.loads((out / f"make-cases-seed{seed}.json").read_text(encoding="utf-8"))


def read_reports(cases_dir: Path, seeds) -> dict[int, dict]:
    """The make-cases reports of a case folder made earlier (``--out``)."""
    reports = {}
    for seed in seeds:
        path = cases_dir / f"make-cases-seed{seed}.json"
        if not path.is_file():
            raise OracleSetupError(f"{cases_dir} has no cases for seed {seed} ({path.name})")
        reports[seed] = json.loads(path.read_text(encoding="utf-8"))
    return reports


# ---------------------------------------------------------------------------
# Running FieldSurvey and judging a case.
# ---------------------------------------------------------------------------


def simulate(definition, spec: dict) -> dict:
    """What ``fieldsurvey form simulate FORM --answers FILE`` prints, computed in-process."""
    from fieldsurvey.cli.form_cmd import simulate as form_simulate

    payload = form_simulate(definition, spec)
    payload.setdefault("errors", [])
    return payload


class Comparison:
    """Judges cases with compare.py's rules, FieldSurvey running in this process."""

    def __init__(self, oracle: Path, compare=None):
        self.oracle = oracle
        self.compare = compare or load_compare(oracle)
        self.known, self.own_known = known_deviations(self.compare, oracle)
        self._forms: dict[str, object] = {}  # form file -> LoadedForm or the exception
        self._live = None
        self.results: list[dict] = []

    def _loaded(self, form_path: str):
        if form_path not in self._forms:
            from fieldsurvey.forms import load_form

            try:
                self._forms[form_path] = load_form(form_path)
            except Exception as exc:  # noqa: BLE001 - a crash is a result to report
                self._forms[form_path] = exc
        return self._forms[form_path]

    def _run_fieldsurvey(self, case) -> None:
        from fieldsurvey.errors import FormError

        if case.project_form is None:
            case.fs_problem = f"no {case.name}.xlsx/.xls/.csv/.xml beside the case"
            return
        loaded = self._loaded(case.project_form)
        if isinstance(loaded, FormError):
            case.fs_not_loaded = True
            case.fs_problem = f"FieldSurvey did not load the form: {loaded.english()}"
            return
        if isinstance(loaded, Exception):
            case.fs_problem = "FieldSurvey crashed loading the form: " + "".join(
                traceback.format_exception_only(loaded)
            ).strip()
            return
        spec = json.loads(Path(case.path).read_text(encoding="utf-8"))
        try:
            case.fs = simulate(loaded.definition, spec)
        except Exception as exc:  # noqa: BLE001
            case.fs_problem = "FieldSurvey crashed: " + "".join(
                traceback.format_exception(exc, limit=-3)
            ).strip()[-1500:]

    def run(self, answers: Path, prune: bool = False) -> dict:
        """compare.py's verdict on one NAME.x.answers.json case (oracle output cached or live).

        ``prune``: first drop the answers make-cases.py drops (the oracle rejects them, or
        they are outside the current choices) and rewrite the answers file without them.
        """
        case = self.compare.Case(str(answers))
        if os.path.exists(case.expected):
            case.oracle = json.loads(Path(case.expected).read_text(encoding="utf-8"))
        else:
            case.oracle = self._run_oracle(case, prune)
        self._run_fieldsurvey(case)
        result = self.compare.judge(case, self.known)
        self._apply_own_known(case, result)
        self.results.append(result)
        return result

    def _run_oracle(self, case, prune: bool) -> dict:
        if self._live is None:
            self._live = live_oracle(self.oracle)
        xform = self.compare.xform_for(case)
        spec = json.loads(Path(case.path).read_text(encoding="utf-8"))
        for round_ in range(PRUNE_ROUNDS):
            out = self._live.run(xform, spec)
            if not prune or "fatal" in out or round_ == PRUNE_ROUNDS - 1:
                break
            drop = self._live_module.to_drop(out)
            if not drop:
                break
            spec["answers"] = [a for i, a in enumerate(spec["answers"]) if i not in drop]
            Path(case.path).write_text(json.dumps(spec, indent=1), encoding="utf-8")
        return out

    @property
    def _live_module(self):
        return sys.modules["oracle_make_cases"]

    def _apply_own_known(self, case, result: dict) -> None:
        """Move the differences our own entries explain to the known ones."""
        if not result.get("differences") or not self.own_known:
            return
        counted = None
        left = []
        for d in result["differences"]:
            generic = self.compare.generic(d["path"])
            entry = None
            for e in self.own_known:
                if d["field"] not in e["fields"] or not fnmatch.fnmatchcase(case.name, e["form"]):
                    continue
                if not fnmatch.fnmatchcase(generic, e["path"]):
                    continue
                values = e.get("values", {})
                if any(d[engine] != value for engine, value in values.items()):
                    continue
                if e.get("node") == OWN_NODE:
                    if counted is None:
                        counted = counted_repeats(self.compare.xform_for(case))
                    if not any(generic.startswith(r + "/") for r in counted):
                        continue
                entry = e
                break
            if entry is None:
                left.append(d)
            else:
                result["known"].append({**d, "known": entry["id"]})
        result["differences"] = left
        if not left and "reason" not in result:
            result["status"] = "passed"

    def close(self) -> None:
        if self._live is not None:
            self._live.close()
            self._live = None

    def summary(self) -> dict:
        """Cases passed/failed/skipped, per-field agreement, known deviations met."""
        fields, normalized, by_known = self.compare.summarize(
            self.results, self.known + self.own_known
        )
        # compare.py books a known extra/missing node under "value", where nothing was compared
        nodes = sum(d["field"] in OWN_FIELDS for r in self.results for d in r.get("known", []))
        fields["value"]["known"] -= nodes
        fields["value"]["differ"] += nodes
        status = [r["status"] for r in self.results]
        return {"cases": len(status), "passed": status.count("passed"),
                "failed": status.count("failed"), "skipped": status.count("skipped"),
                "fields": fields, "known_extra_or_missing_nodes": nodes, "normalized": dict(normalized),
                "known_deviations": by_known}  # fmt: skip


def describe(result: dict, limit: int = 10) -> str:
    """A failed case in a few lines: what differs, oracle value against ours."""
    label = os.path.basename(result["case"])
    if "reason" in result:
        return f"{label}: {result['reason']}"
    lines = [f"{label}: {len(result['differences'])} difference(s)"]
    for d in result["differences"][:limit]:
        note = f"  ({d['note']})" if d.get("note") else ""
        lines.append(f"    {d['path']} {d['field']}: oracle {json.dumps(d['oracle'])}, "
                     f"fieldsurvey {json.dumps(d['fieldsurvey'])}{note}")  # fmt: skip
    if len(result["differences"]) > limit:
        lines.append(f"    ... {len(result['differences']) - limit} more")
    return "\n".join(lines)


def format_summary(summary: dict) -> str:
    lines = [f"{summary['cases']} case(s): {summary['passed']} passed, "
             f"{summary['failed']} failed, {summary['skipped']} skipped",
             "per-field agreement (agree/compared; known deviations apart):"]  # fmt: skip
    for name, x in summary["fields"].items():
        share = f"{100.0 * x['agree'] / x['compared']:.2f}%" if x["compared"] else "-"
        lines.append(f"  {name:<9} {x['agree']:>6}/{x['compared']:<6} {share:>7}   "
                     f"known {x['known']}, differ {x['differ']}")  # fmt: skip
    for key, x in summary["known_deviations"].items():
        lines.append(f"  known deviation {key} ({x['title']}): {x['differences']} "
                     f"difference(s), {x['cases']} case(s)")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n\n".join(__doc__.split("\n\n")[1:]))  # fmt: skip
    ap.add_argument("--out", type=Path, help="keep the cases in this folder")
    ap.add_argument("--seeds", type=int, nargs="+", default=list(CORPUS_SEEDS))
    ap.add_argument("--cases", type=int, default=CASES_PER_FORM, help="cases per form and seed")
    ap.add_argument("--oracle", type=Path, help="an installed copy of the oracle")
    ap.add_argument("--shared", type=Path, default=SHARED_DIR)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    a = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="fieldsurvey-oracle-") as tmp:
        try:
            started = time.monotonic()
            oracle = a.oracle or install(a.shared / "oracle", Path(tmp) / "oracle")
            installed = time.monotonic()
            out = a.out or Path(tmp) / "cases"
            reports = {s: make_cases(oracle, a.shared / "conformance" / "xlsforms", out, s,
                                     a.cases) for s in a.seeds}  # fmt: skip
            generated = time.monotonic()
        except OracleSetupError as exc:
            print(f"oracle_cases.py: {exc}", file=sys.stderr)
            return 2
        comparison = Comparison(oracle)
        failures = []
        for report in reports.values():
            for form in report["forms"]:
                for name in form.get("cases", []):
                    result = comparison.run(out / name)
                    if result["status"] == "failed":
                        failures.append(result)
        comparison.close()
        done = time.monotonic()
        summary = comparison.summary()
        summary["seconds"] = {"npm_ci": round(installed - started, 1),
                              "make_cases": round(generated - installed, 1),
                              "compare": round(done - generated, 1)}  # fmt: skip
        if a.json:
            summary["failures"] = failures
            print(json.dumps(summary, indent=1))
        else:
            for result in failures:
                print(describe(result))
            print(format_summary(summary))
            print("seconds: " + ", ".join(f"{k} {v}" for k, v in summary["seconds"].items()))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
