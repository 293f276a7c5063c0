"""Benchmark: counting the open problems of merged drafts does not slow a merge.

A merge validates each incoming draft through the form engine (``FormSession.from_xml``
then ``validate()``) for the interview list's Errors column; finalized interviews are not
validated. Figures:

- a merge of 1,000 finalized interviews with the counting in place, against the same
  merge with the counting switched off (best of a few runs each, alternated);
- the cost of one draft counted, from a file of drafts only.

Uses the 100-field form of ``benchmarks/exchange.py``. Prints
``figure: value unit (target: ...) ok|MISS`` lines and always exits 0.
Usage: ``python benchmarks/merge_drafts.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import exchange as bench  # noqa: E402 - the exchange benchmark's form and interviews

FINALIZED = 1_000
DRAFTS = 100


def export_file(dest: Path, count: int, *, drafts: bool) -> None:
    """An export of ``count`` interviews of the benchmark form, drafts or finalized."""
    from fieldsurvey.exchange.export import FormVersion, write_export
    from fieldsurvey.forms import parse_xform

    xform = bench.form_xform()
    form = FormVersion("bench", "1", "Bench", xform, parse_xform(xform))
    items = bench.items(0, count)
    if drafts:
        items = (replace(item, record=_as_draft(item.record)) for item in items)
    write_export(dest, forms=[form], items=items)


def _as_draft(record):
    record.status, record.finalized_at = "draft", None
    return record


def merge_time(path: Path, store_dir: Path, *, counting: bool) -> float:
    from fieldsurvey.exchange.merge import InterviewMerger

    original = InterviewMerger.error_count
    if not counting:
        InterviewMerger.error_count = lambda self, rec, form_pk: None
    try:
        return bench.merge([path], store_dir)
    finally:
        InterviewMerger.error_count = original


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3, help="merges timed per variant")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        finalized = folder / "finalized.xlsx"
        drafts = folder / "drafts.xlsx"
        export_file(finalized, FINALIZED, drafts=False)
        export_file(drafts, DRAFTS, drafts=True)
        bench.merge([finalized], folder / "warm")  # imports and first queries
        with_count, without = [], []
        for run in range(args.runs):
            with_count.append(merge_time(finalized, folder / f"on{run}", counting=True))
            without.append(merge_time(finalized, folder / f"off{run}", counting=False))
        on, off = min(with_count), min(without)
        bench.line(f"merge {FINALIZED} finalized interviews, drafts counted", on, "s", "info",
                   True)
        bench.line(f"merge {FINALIZED} finalized interviews, counting off", off, "s", "info",
                   True)
        bench.line("merge of finalized interviews, counting on vs off", on / off, "x",
                   "<= 1.05", on / off <= 1.05)
        counted = merge_time(drafts, folder / "drafts-on", counting=True)
        plain = merge_time(drafts, folder / "drafts-off", counting=False)
        per_draft = (counted - plain) / DRAFTS * 1000
        bench.line("open problems counted per merged draft (100-field form)", per_draft, "ms",
                   "<= 50", per_draft <= 50)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
