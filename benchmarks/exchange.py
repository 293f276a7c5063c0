"""Benchmark of the Excel exchange: export and merge at survey scale.

- export: 10,000 interviews of a 100-field form with 3 repeat rows each, against
  xlsxwriter (constant_memory) writing exactly the same cells in the same run;
- merge: 20 exports of 1,000 interviews each into an empty store, with the worker processes
  the program chooses on this machine and in one process; compared with python-calamine
  reading the same ``_fieldsurvey`` sheets (each timing the best of two interleaved runs);
- memory: peak RSS and traced allocations of an export (and of a merge, and of its worker
  processes) in a child process at several sizes; the ratio of the two largest shows
  whether memory grows with the number of interviews once the fixed buffers are full.

Prints ``figure: value unit (target: ...) ok|MISS`` lines and always exits 0.
Usage: ``python benchmarks/exchange.py [--quick]``; ``--quick`` runs a tenth of the sizes to
check that the script works: its files are too small for merge workers or full buffers,
so its merge figures say nothing about the targets.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIELDS = 95  # plus 5 in the repeat: 100 fields
REPEAT_FIELDS = 5
REPEAT_ROWS = 3


def form_xform() -> str:
    from pyxform.xls2xform import convert

    lines = ["| survey | | | |", "| | type | name | label |"]
    for i in range(FIELDS):
        kind = "integer" if i % 3 == 0 else "text"
        lines.append(f"| | {kind} | f{i} | Field {i} |")
    lines.append("| | begin repeat | rep | Rep |")
    for i in range(REPEAT_FIELDS):
        lines.append(f"| | text | r{i} | R {i} |")
    lines.append("| | end repeat | | |")
    lines += ["| settings | | | |", "| | form_id | version | |", "| | bench | 1 | |"]
    return convert(xlsform="\n".join(lines), file_type=".md").xform


def instance(n: int) -> str:
    parts = ['<data id="bench" version="1">']
    for i in range(FIELDS):
        parts.append(f"<f{i}>{n * 7 + i}</f{i}>" if i % 3 == 0 else f"<f{i}>answer {n} {i}</f{i}>")
    for r in range(REPEAT_ROWS):
        parts.append("<rep>" + "".join(f"<r{i}>row {r} {i}</r{i}>" for i in range(REPEAT_FIELDS))
                     + "</rep>")
    parts.append(f"<meta><instanceID>uuid:bench-{n}</instanceID></meta></data>")
    return "".join(parts)


def items(start: int, count: int):
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from fieldsurvey.exchange.export import ExportItem

    moment = datetime(2024, 5, 1, tzinfo=UTC)
    for n in range(start, start + count):
        record = SimpleNamespace(
            instance_id=f"uuid:bench-{n}", interview_key=f"uuid:bench-{n}", form_id="bench",
            form_version="1", status="finalized", display_name="", enumerator="bench",
            device_id="dev", created_at=moment, modified_at=moment, finalized_at=moment,
            sent_at=None, exported_at=None, revision=1, deprecated_id=None, deleted=False,
            error_count=0, xml=instance(n),
        )
        yield ExportItem(record)


def export(dest: Path, count: int, start: int = 0, writer: str = "openpyxl") -> float:
    from fieldsurvey.exchange import export as export_module
    from fieldsurvey.exchange.export import FormVersion, write_export
    from fieldsurvey.forms import parse_xform

    xform = form_xform()
    form = FormVersion("bench", "1", "Bench", xform, parse_xform(xform))
    if writer == "xlsxwriter":
        export_module.XlsxSink = XlsxwriterSink
    began = time.perf_counter()
    write_export(dest, forms=[form], items=items(start, count))
    return time.perf_counter() - began


class _XwSheet:
    def __init__(self, ws, title):
        self.ws, self.title, self.rows = ws, title, 0

    def append(self, values):
        for col, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                self.ws.write_string(self.rows, col, value)
            else:
                self.ws.write_number(self.rows, col, value)
        self.rows += 1

    def hide(self):
        self.ws.hide()


class XlsxwriterSink:
    """The baseline: xlsxwriter in constant_memory mode writing the same cells."""

    def __init__(self, path, warnings):
        import xlsxwriter

        self.wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})

    def open_table(self, wanted, *, hidden=False):
        sheet = _XwSheet(self.wb.add_worksheet(wanted[:31]), wanted[:31])
        if hidden:
            sheet.hide()
        return sheet

    def finish_table(self, sheet):
        return "", 0  # no checksums of the data sheets: the baseline does the least work

    def close(self):
        self.wb.close()

    def discard(self):
        self.wb.close()


def read_ours(paths) -> float:
    from fieldsurvey.exchange.importer import package_rows
    from fieldsurvey.exchange.package_sheet import read_records

    began = time.perf_counter()
    for path in paths:
        for _record in read_records(package_rows(path), path=str(path)):
            pass
    return time.perf_counter() - began


def read_calamine(paths, every_sheet: bool = False) -> float:
    from python_calamine import CalamineWorkbook

    began = time.perf_counter()
    for path in paths:
        book = CalamineWorkbook.from_path(str(path))
        names = book.sheet_names if every_sheet else ["_fieldsurvey"]
        for name in names:
            for _row in book.get_sheet_by_name(name).iter_rows():
                pass
    return time.perf_counter() - began


def merge(paths, data: Path, expect: str = "new", workers: int | None = None) -> float:
    """Seconds to merge ``paths``; ``workers`` None: as the program chooses."""
    from fieldsurvey.exchange.importer import merge_files
    from fieldsurvey.paths import DataDir
    from fieldsurvey.store import open_store

    with open_store(DataDir.resolve(data)) as store:
        began = time.perf_counter()
        report = merge_files(store, paths, workers=workers)
        elapsed = time.perf_counter() - began
    assert not report.rejected_files and not report.warnings, report.as_dict()
    assert report.counts[expect] == sum(report.counts.values()), report.counts
    return elapsed


def merge_inputs(count: int, folder: Path) -> list[Path]:
    """The four exports of ``count // 4`` interviews each that the merge child merges."""
    return [folder / f"m{count}-{i}.xlsx" for i in range(4)]


def write_merge_inputs(count: int, folder: Path) -> None:
    """Written here: a merge child that wrote them itself would report the export's peak
    memory."""
    for i, f in enumerate(merge_inputs(count, folder)):
        export(f, count // 4, start=i * count)


def peak_memory_child(mode: str, count: int, folder: Path) -> tuple[float, float, float]:
    """Peak RSS of the whole child, tracemalloc's peak during the operation and the peak
    RSS of the largest merge worker, in MiB."""
    if mode == "merge":
        write_merge_inputs(count, folder)
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(count), str(folder)],
        capture_output=True, text=True, check=True,
    )
    rss, traced, workers_rss = out.stdout.strip().splitlines()[-1].split()
    return float(rss), float(traced), float(workers_rss)


def child(mode: str, count: int, folder: Path) -> None:
    import tracemalloc

    if mode == "export":
        export(folder / "warm.xlsx", 10)  # imports and form parsing before measuring
        tracemalloc.start()
        export(folder / f"child-{count}.xlsx", count)
    else:
        files = merge_inputs(count, folder)
        merge([folder / "warm.xlsx"], folder / f"warm-store-{count}")  # imports, first queries
        tracemalloc.start()
        merge(files, folder / f"store-{count}", workers=2)
    traced = tracemalloc.get_traced_memory()[1] / 1024**2
    # The largest merge worker process (none for an export), in MiB.
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, traced, workers)


def best_of(*measures, runs: int = 2) -> list[float]:
    """The shortest of ``runs`` results of each measure, the measures taking turns."""
    best = [float("inf")] * len(measures)
    for _ in range(runs):
        for i, measure in enumerate(measures):
            best[i] = min(best[i], measure())
    return best


def line(figure: str, value: float, unit: str, target: str, ok: bool) -> None:
    print(f"{figure}: {value:.2f} {unit} (target: {target}) {'ok' if ok else 'MISS'}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--child", nargs=3)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), Path(args.child[2]))
        return 0
    scale = 10 if args.quick else 1
    n_export, n_files, per_file = 10_000 // scale, 20, 1_000 // scale
    with open("/proc/loadavg") if Path("/proc/loadavg").exists() else open(__file__) as f:
        print(f"load average at start: {f.readline().strip()[:40]}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ours = export(folder / "ours.xlsx", n_export)
        base = export(folder / "base.xlsx", n_export, writer="xlsxwriter")
        line(f"export {n_export} interviews (streaming sheet XML)", ours, "s", "info", True)
        line(f"export {n_export} interviews (xlsxwriter constant_memory, same cells)", base, "s",
             "info", True)
        line("export time vs xlsxwriter constant_memory", ours / base, "x", "<= 2", ours / base <= 2)
        from fieldsurvey.exchange import export as export_module
        from fieldsurvey.exchange.table_sinks import XlsxSink

        export_module.XlsxSink = XlsxSink
        files = []
        for i in range(n_files):
            path = folder / f"part{i}.xlsx"
            export(path, per_file, start=100_000 + i * per_file)
            files.append(path)
        # Each side's best of two runs, the runs interleaved: a moment of load on this
        # shared machine then weighs on neither side alone.
        ours_read, cal_read = best_of(lambda: read_ours(files), lambda: read_calamine(files))
        line(f"read {n_files} exports of {per_file} (_fieldsurvey sheet)", ours_read, "s", "info", True)
        line("read time vs python-calamine", ours_read / cal_read, "x", "<= 2",
             ours_read / cal_read <= 2)
        (cal_all,) = best_of(lambda: read_calamine(files, every_sheet=True))
        from fieldsurvey.exchange.merge_prepare import worker_count

        workers = worker_count(files)
        stores = {"alone": 0, "workers": 0}  # each run merges into an empty store

        def merge_into_new(kind: str, workers: int | None) -> float:
            stores[kind] += 1
            return merge(files, folder / f"merged-{kind}-{stores[kind]}", workers=workers)

        alone, merged = best_of(lambda: merge_into_new("alone", 0),
                                lambda: merge_into_new("workers", None))
        n_merged = n_files * per_file
        line(f"merge {n_files} exports of {per_file} into an empty store, one process", alone,
             "s", "info", True)
        line(f"merge {n_files} exports of {per_file} into an empty store, {workers} worker "
             f"processes on {os.cpu_count()} cores", merged, "s", "info", True)
        line("merge per interview", merged / n_merged * 1000, "ms", "info", True)
        line("merge time vs python-calamine reading the _fieldsurvey sheets", merged / cal_read,
             "x", "<= 2", merged / cal_read <= 2)
        line("merge time in one process vs python-calamine", alone / cal_read, "x", "info", True)
        line("merge time vs python-calamine reading every sheet of the files", merged / cal_all,
             "x", "info", True)
        again = merge(files, folder / "merged-workers-1", expect="unchanged")
        line("merge the same files again (nothing changes)", again, "s", "info", True)
        # Merge memory is compared at the two largest sizes, whose files fill the merge's
        # fixed buffers (a batch of 200 interviews, messages of 100, the look-ahead); with
        # files of 250 interviews they are not full: that ratio shows how full they get.
        sizes = {"export": (1_000, 4_000), "merge": (1_000, 4_000, 16_000)}
        for mode, counts in sizes.items():
            counts = [n // scale for n in counts]
            peaks = {n: peak_memory_child(mode, n, folder) for n in counts}
            for n in counts:
                rss, traced, workers_rss = peaks[n]
                line(f"{mode} peak RSS, {n} interviews", rss, "MiB", "info", True)
                line(f"{mode} peak traced allocations, {n} interviews", traced, "MiB", "info",
                     True)
                if mode == "merge":
                    line(f"merge worker peak RSS, {n} interviews", workers_rss, "MiB", "info",
                         True)
            if mode == "merge":
                small, large = counts[0], counts[1]
                line(f"merge peak traced allocations {large} vs {small} interviews (files of "
                     f"{small // 4}: buffers not full)", peaks[large][1] / peaks[small][1], "x",
                     "info", True)
            small, large = counts[-2], counts[-1]
            (rss_small, traced_small, workers_small), (rss_large, traced_large, workers_large) = (
                peaks[small], peaks[large])
            line(f"{mode} peak RSS {large} vs {small} interviews", rss_large / rss_small, "x",
                 "<= 1.25", rss_large / rss_small <= 1.25)
            line(f"{mode} peak traced allocations {large} vs {small} interviews",
                 traced_large / traced_small, "x", "<= 1.25", traced_large / traced_small <= 1.25)
            if mode == "merge":
                line(f"merge worker peak RSS {large} vs {small} interviews",
                     workers_large / workers_small, "x", "<= 1.25",
                     workers_large / workers_small <= 1.25)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
