"""Benchmark of backups: a finalize costs the same whatever the database's size, and the
demo writes little more than the database it makes.

Run: ``python benchmarks/backups.py [--big-demo]``. Prints one line per figure,
``figure: value unit (target: ...) ok|MISS``, and exits 0 even on a MISS. ``--big-demo``
adds the wall time of ``fieldsurvey demo --interviews 20000 --laptops 20`` (minutes on a
busy machine, so not run by default).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fieldsurvey.paths import DataDir
from fieldsurvey.store import open_store

#: Questions per benchmark interview: about 6 kB of XML, near a real interview's size.
FIELDS = 150
XFORM = """<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">
  <h:head><h:title>Benchmark</h:title><model>
    <instance><bench id="bench" version="1">{fields}<meta><instanceID/></meta></bench></instance>
  </model></h:head><h:body/></h:html>"""


def instance_xml(instance_id: str, n: int) -> str:
    answers = "".join(f"<q{i}>answer {n} to question {i}</q{i}>" for i in range(FIELDS))
    return (
        f'<bench id="bench" version="1">{answers}'
        f"<meta><instanceID>{instance_id}</instanceID></meta></bench>"
    )


def report(name: str, value: float, unit: str, target: str, ok: bool) -> None:
    print(f"{name}: {value:.2f} {unit} (target: {target}) {'ok' if ok else 'MISS'}", flush=True)


def load_average() -> str:
    try:
        return " ".join(f"{n:.2f}" for n in os.getloadavg())
    except (AttributeError, OSError):  # Windows
        return "unknown"


def fieldsurvey(*args: str) -> list[str]:
    return [sys.executable, "-m", "fieldsurvey", *args]


def filled_store(root: Path, name: str, interviews: int):
    """A store holding ``interviews`` finalized interviews, backed up once."""
    form = root / "bench.xml"
    form.write_text(XFORM.format(fields="".join(f"<q{i}/>" for i in range(FIELDS))),
                    encoding="utf-8")  # fmt: skip
    store = open_store(DataDir.resolve(root / name))
    store.install_form(form)
    with store.transaction() as session:
        for n in range(interviews):
            store.import_revision(session, instance_xml(f"uuid:{name}-{n}", n),
                                  status="finalized", display_name=f"Organization {n}",
                                  source="bench.xlsx")  # fmt: skip
    store.backup("start")  # as opening a used database does
    return store


def finalize_ms(store, count: int, tag: str) -> float:
    """Mean wall time of finalizing ``count`` new interviews, each one as the interview
    screen does it (with whatever backup the store decides to take)."""
    times = []
    for n in range(count):
        instance_id = f"uuid:{tag}-new-{n}"
        store.create_interview("bench", "1", instance_xml(instance_id, n))
        start = time.perf_counter()
        store.finalize(instance_id, instance_xml(instance_id, n + 1))
        times.append((time.perf_counter() - start) * 1000)
    return statistics.mean(times)


def bench_finalize(root: Path, small: int, big: int, count: int) -> None:
    stores = [filled_store(root, "small", small), filled_store(root, "big", big)]
    try:
        size = stores[1].path.stat().st_size / 1e6
        # Interleaved rounds, so that a busy moment of the machine hits both alike.
        rounds = {0: [], 1: []}
        for round_ in range(5):
            for which, store in enumerate(stores):
                rounds[which].append(finalize_ms(store, count // 5, f"{which}-{round_}"))
        small_ms, big_ms = (statistics.mean(rounds[i]) for i in (0, 1))
    finally:
        for store in stores:
            store.close()
    report(f"finalize with {small} interviews in the store, mean", small_ms, "ms", "info",
           True)  # fmt: skip
    report(f"finalize with {big} interviews ({size:.0f} MB) in the store, mean", big_ms, "ms",
           "info", True)  # fmt: skip
    ratio = big_ms / small_ms
    report(f"finalize cost at {big} / at {small} interviews", ratio, "x", "<= 1.5",
           ratio <= 1.5)  # fmt: skip


def bench_demo_bytes(root: Path, interviews: int) -> None:
    """Bytes the demo writes (this process's children, as the kernel counts them)."""
    import resource

    data = root / "demo-data"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_oublock
    start = time.perf_counter()
    subprocess.run(fieldsurvey("--data-dir", str(data), "demo", "--interviews",
                               str(interviews)), check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    elapsed = time.perf_counter() - start
    written = (resource.getrusage(resource.RUSAGE_CHILDREN).ru_oublock - before) * 512
    database = sum(p.stat().st_size for p in data.glob("fieldsurvey.sqlite3*"))
    report(f"demo --interviews {interviews}, wall time", elapsed, "s", "info", True)
    report(f"demo --interviews {interviews}, bytes written", written / 1e6, "MB", "info", True)
    ratio = written / database
    report(f"demo --interviews {interviews}, bytes written / database size "
           f"({database / 1e6:.1f} MB)", ratio, "x", "< 10", ratio < 10)  # fmt: skip


def bench_big_demo(root: Path, interviews: int, laptops: int) -> None:
    start = time.perf_counter()
    subprocess.run(fieldsurvey("--data-dir", str(root / "big-demo-data"), "demo",
                               "--interviews", str(interviews), "--laptops", str(laptops),
                               "--out", str(root / "laptops")),
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    elapsed = time.perf_counter() - start
    report(f"demo --interviews {interviews} --laptops {laptops}, wall time", elapsed, "s",
           "< 120 s", elapsed < 120)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--big", type=int, default=20_000)
    parser.add_argument("--finalizes", type=int, default=50)
    parser.add_argument("--demo-interviews", type=int, default=1000)
    parser.add_argument("--big-demo", action="store_true",
                        help="also time demo --interviews 20000 --laptops 20")  # fmt: skip
    args = parser.parse_args(argv)
    print(f"# load average at start: {load_average()} ({os.cpu_count()} CPUs)", flush=True)
    with tempfile.TemporaryDirectory(prefix="fieldsurvey-bench-") as tmp:
        root = Path(tmp)
        bench_finalize(root, args.small, args.big, args.finalizes)
        if sys.platform != "win32":  # the kernel's count of written blocks
            bench_demo_bytes(root, args.demo_interviews)
        if args.big_demo:
            bench_big_demo(root, 20_000, 20)
    print(f"# load average at end: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
