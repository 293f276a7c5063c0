"""A merge or an export killed outright (``kill -9``) leaves nothing running and, after
the next run, nothing on disk."""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from fieldsurvey.exchange import partial_files
from fieldsurvey.exchange.export import FormVersion, write_export
from fieldsurvey.exchange.workbook_io import XlsxReader

from .samples import SURVEY_MD, ExportItemFactory, parse, xform_from_md

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                 reason="reads /proc and uses prctl")
PR_SET_CHILD_SUBREAPER = 36
SAMPLES = Path(__file__).parent


@pytest.fixture
def orgs_form():
    xform = xform_from_md(SURVEY_MD.format(version="2"))
    return FormVersion("orgs", "2", "Organizations", xform, parse(xform))


def _cli(data: Path, *args: str) -> subprocess.Popen:
    env = dict(os.environ, FIELDSURVEY_MERGE_WORKERS="2")
    return subprocess.Popen([sys.executable, "-m", "fieldsurvey", "--data-dir", str(data),
                             *args], env=env, stdout=subprocess.PIPE, text=True)


def _children(pid: int) -> dict[int, str]:
    """The child processes of ``pid`` and their command lines."""
    found = {}
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.update((int(c), "") for c in (task / "children").read_text().split())
        except OSError:  # the thread ended meanwhile
            continue
    for child in found:
        try:
            found[child] = (Path(f"/proc/{child}/cmdline").read_bytes()
                            .replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            pass
    return found


@pytest.fixture
def adopting_orphans():
    """This process adopts the orphans of its children (Linux's subreaper), so a test can
    wait for them (proving they ended) and reap them, whatever reaps orphans here."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        pytest.skip("cannot adopt orphan processes")
    yield
    libc.prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "gone"


def _ended_within(pids, seconds: float) -> set[int]:
    """Wait for the adopted ``pids`` to end, reaping them; those still running after
    ``seconds`` (then killed, so that nothing is left behind)."""
    running = set(pids)
    deadline = time.monotonic() + seconds
    while running and time.monotonic() < deadline:
        for pid in list(running):
            try:
                done, _status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:  # reaped already, or not adopted: ask the system
                done = pid if _state(pid) in ("gone", "Z") else 0
            if done:
                running.discard(pid)
        time.sleep(0.02)
    for pid in running:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    return running


def _open_files(pid: int) -> set[Path]:
    found = set()
    for fd in Path(f"/proc/{pid}/fd").glob("*"):
        try:
            found.add(Path(os.readlink(fd)))
        except OSError:  # closed meanwhile
            continue
    return found


def _kill_merge(data: Path, files: list[Path], ready) -> dict[int, str]:
    """Start a merge of ``files`` with two workers, kill it (``kill -9``) once
    ``ready(workers)`` is true, and give the processes it had started."""
    merge = _cli(data, "merge", *map(str, files))
    children: dict[int, str] = {}
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            # Every child seen: a worker that finished its files ends before the others
            # (then it shows no command line), and it must be gone at the end too.
            for pid, cmd in _children(merge.pid).items():
                if cmd or pid not in children:
                    children[pid] = cmd
            workers = [pid for pid, cmd in children.items() if "spawn_main" in cmd]
            if len(workers) == 2 and ready(workers):
                break
            assert merge.poll() is None, "the merge ended before it was killed"
            time.sleep(0.02)
        else:
            pytest.fail("the workers did not get to their files")
    finally:
        merge.kill()
        merge.wait()
        merge.stdout.close()
    return children


@linux_only
def test_killed_merge_leaves_no_process_and_a_second_merge_completes_it(
        tmp_path, orgs_form, adopting_orphans):
    files = []
    for n in range(2):  # two laptops' exports, each merged twice
        factory = ExportItemFactory()
        factory.n = n * 100_000
        path = tmp_path / f"laptop{n}.xlsx"
        write_export(path, forms=[orgs_form], items=factory.items(1200))
        files.append(path)
    files += files
    data = tmp_path / "coordinator"

    exports = {f.resolve() for f in files}

    def reading_exports(workers):
        return all(_open_files(pid) & exports for pid in workers)

    children = _kill_merge(data, files, reading_exports)

    assert sum("spawn_main" in cmd for cmd in children.values()) == 2  # the two workers
    assert _ended_within(children, 5) == set(), children  # the resource tracker too
    check = subprocess.run([sys.executable, "-m", "fieldsurvey", "--data-dir", str(data),
                            "db", "check", "--json"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert json.loads(check.stdout)["ok"] is True
    second = _cli(data, "merge", "--json", *map(str, files))
    out, _ = second.communicate(timeout=300)
    assert second.returncode == 0, out
    counts = json.loads(out)
    assert counts["rejected"] == 0
    assert counts["new"] + counts["unchanged"] + counts["updated"] == 4800
    check = subprocess.run([sys.executable, "-m", "fieldsurvey", "--data-dir", str(data),
                            "db", "check", "--json"], capture_output=True, text=True)
    assert json.loads(check.stdout)["interviews"] == 2400


@linux_only
def test_worker_stuck_on_a_file_that_never_answers_dies_with_the_merge(
        tmp_path, orgs_form, adopting_orphans):
    # Named pipes: opening one waits until something writes to it, as reading a file on a
    # stalled network share waits. The first is opened here too, which tells that the
    # worker got to it (it then rejects it: not a zip); the third is never answered.
    first, stalled = tmp_path / "first.xlsx", tmp_path / "stalled.xlsx"
    os.mkfifo(first)
    os.mkfifo(stalled)
    good = tmp_path / "good.xlsx"
    write_export(good, forms=[orgs_form], items=ExportItemFactory().items(10))
    answered = threading.Event()

    def answer_first():
        os.close(os.open(first, os.O_WRONLY))  # returns once the worker opens it
        answered.set()

    threading.Thread(target=answer_first, daemon=True).start()

    def stuck(_workers):
        if not answered.is_set():
            return False
        time.sleep(0.5)  # ample: the worker goes from the first file to the stalled one
        return True

    children = _kill_merge(tmp_path / "coordinator", [first, good, stalled], stuck)

    assert _ended_within(children, 5) == set(), children
    if not answered.is_set():  # never got there: let the thread end
        os.close(os.open(first, os.O_RDONLY | os.O_NONBLOCK))


# ------------------------------------------------------------------------ leftovers

def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _computer() -> str:
    return partial_files._computer()


@pytest.fixture
def own_temp(tmp_path, monkeypatch):
    """A temp folder of this test's own, as the system's temp folder."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    return folder


def test_next_export_removes_only_the_leftovers_of_ended_runs(tmp_path, own_temp, orgs_form):
    out = tmp_path / "out"
    out.mkdir()
    earlier = out / "survey.xlsx"
    write_export(earlier, forms=[orgs_form], items=ExportItemFactory().items(3))
    before = earlier.read_bytes()
    dead, here, mark = _dead_pid(), _computer(), partial_files.MARK
    day_ago = time.time() - 2 * partial_files.MAX_AGE

    def leftover(folder: Path, name: str, *, folder_of_parts=False, old=False) -> Path:
        path = folder / name
        if folder_of_parts:
            path.mkdir()
            (path / "sheet1.xml").write_text("<worksheet>" + "x" * 1000)
        else:
            path.write_bytes(b"")
        if old:
            os.utime(path, (day_ago, day_ago))
        return path

    gone = [
        leftover(out, f".survey.xlsx.{mark}-{dead}-{here}-abc_1234"),
        leftover(out, f".other.zip.{mark}-{dead}-{here}-x9y8z7w6"),
        leftover(out, f".survey.xlsx.{mark}-{dead}-elsewhere-k3j4h5g6", old=True),
        leftover(out, ".survey2.ab12cd34.partial", old=True),  # an earlier version's
        leftover(own_temp, f"{mark}-{dead}-{here}-qwe12345", folder_of_parts=True),
        leftover(own_temp, "fieldsurvey-xlsx-zx12cv34", folder_of_parts=True, old=True),
    ]
    kept = [
        leftover(out, f".survey.xlsx.{mark}-{os.getpid()}-{here}-running1"),  # still going
        leftover(out, f".survey.xlsx.{mark}-{dead}-elsewhere-k3j4h5g7"),  # cannot tell yet
        leftover(out, ".survey2.ab12cd35.partial"),  # an earlier version's, not a day old
        leftover(out, ".notes.ab12cd34.partial", old=True),  # not for this name: maybe not ours
        leftover(out, f"{mark}-{dead}-{here}-notmine1.txt"),  # not a name we give
        leftover(own_temp, f"{mark}-{os.getpid()}-{here}-running2", folder_of_parts=True),
    ]

    write_export(out / "survey2.xlsx", forms=[orgs_form], items=ExportItemFactory().items(1))

    assert [p.name for p in gone if p.exists()] == []
    assert [p.name for p in kept if not p.exists()] == []
    assert earlier.read_bytes() == before
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        f"{mark}-{dead}-{here}-notmine1.txt", "survey.xlsx", "survey2.xlsx"]
    assert sorted(p.name for p in own_temp.iterdir()) == [kept[-1].name]


_SLOW_EXPORT = """
import sys
sys.path.insert(0, sys.argv[2])
from samples import SURVEY_MD, ExportItemFactory, parse, xform_from_md
from fieldsurvey.exchange.export import FormVersion, write_export

xform = xform_from_md(SURVEY_MD.format(version="2"))
factory = ExportItemFactory()

def endless():
    while True:
        yield from factory.items(50)

write_export(sys.argv[1], forms=[FormVersion("orgs", "2", "Organizations", xform,
                                             parse(xform))], items=endless())
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="kill -9 is a POSIX signal")
def test_export_killed_mid_write_is_cleaned_by_the_next(tmp_path, own_temp, orgs_form):
    out = tmp_path / "out"
    out.mkdir()
    dest = out / "survey.xlsx"
    write_export(dest, forms=[orgs_form], items=ExportItemFactory().items(3))
    before = dest.read_bytes()

    export = subprocess.Popen([sys.executable, "-c", _SLOW_EXPORT, str(dest), str(SAMPLES)])
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            parts = list(own_temp.glob("*/sheet1.xml"))
            if parts and parts[0].stat().st_size > 100_000:  # well into the rows
                break
            assert export.poll() is None, "the export stopped by itself"
            time.sleep(0.05)
        else:
            pytest.fail("the export wrote nothing")
    finally:
        export.send_signal(signal.SIGKILL)
        export.wait()
    left_here = [p.name for p in out.iterdir() if p.name != dest.name]
    assert len(left_here) == 1 and left_here[0].startswith(".survey.xlsx.")
    assert len(list(own_temp.iterdir())) == 1
    assert dest.read_bytes() == before

    report = write_export(out / "later.xlsx", forms=[orgs_form],
                          items=ExportItemFactory().items(2))

    assert sorted(p.name for p in out.iterdir()) == ["later.xlsx", "survey.xlsx"]
    assert list(own_temp.iterdir()) == []
    assert dest.read_bytes() == before
    with XlsxReader(dest) as reader:  # the earlier export is still whole
        assert sum(1 for _ in reader.iter_rows(next(iter(reader.sheets)))) == 4
    assert report.interviews == 2

