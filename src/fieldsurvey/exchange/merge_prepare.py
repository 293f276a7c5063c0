"""Reading and checking the records of exports before a merge stores them.

Most of a merge's work on an interview needs no database: unzipping and parsing its row
of the ``_fieldsurvey`` sheet, checking the checksums, parsing the instance XML (well
formed, no DTD, its instanceID the record's key) and deriving the text the interview list
searches. Only storing it does. :func:`prepared_records` does that work for one file, in
the merging process; :class:`PreparedFiles` does it for several files in worker processes
(one file at a time each) while the merging process stores what is ready, which is how a
coordinator's laptop merges twenty exports with every core it has.

Either way the merge sees the same records in the same order, and a rejected file raises
the same :class:`~fieldsurvey.errors.ExchangeError`, naming the same file, sheet, row and
column. What the workers read ahead is bounded (:data:`SEND_AHEAD` messages in each
worker, :data:`LOOKAHEAD` records here), so memory does not grow with the size of the
files. A worker that dies (killed, out of memory) costs only time: its files are read
again in the merging process.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import pickle
import queue
import threading
import xml.etree.ElementTree as ET
import zipfile
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from fieldsurvey.errors import ExchangeError, FieldSurveyError, StoreError
from fieldsurvey.exchange.child_processes import (
    die_with_parent,
    exit_when_parent_gone,
    kill_with_this_process,
)
from fieldsurvey.exchange.package_sheet import SHEET_NAME, PackageRecord, read_records
from fieldsurvey.exchange.workbook_io import XlsxReader
from fieldsurvey.gc_pause import paused_gc
from fieldsurvey.i18n import N_
from fieldsurvey.store.instance_xml import parse_instance, read_meta, scan_instance

log = logging.getLogger(__name__)

#: Records a worker sends at once.
BATCH = 100
#: Messages a worker has ready before it waits for the merge to take them.
SEND_AHEAD = 4
#: Records taken from the workers ahead of the merge, over every file not being stored
#: yet. The workers' own :data:`SEND_AHEAD` messages keep them busy: a larger number here
#: only costs memory (measured: 500 was no faster than 100).
LOOKAHEAD = 100
#: Below this many bytes of files in all, workers would cost more than they save.
MIN_PARALLEL_BYTES = 4 << 20
#: At most this many workers: the merging process stores about as fast as three prepare.
MAX_WORKERS = 3


def _not_fieldsurvey(path: Path) -> ExchangeError:
    return ExchangeError(
        N_("The file is not a FieldSurvey export: it has no _fieldsurvey sheet."),
        code="exchange.not_fieldsurvey", path=str(path),
    )


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    # Imported here: the writers it comes with are a fifth of a merge worker's start.
    from fieldsurvey.exchange.table_sinks import read_csv_member

    try:
        with zipfile.ZipFile(path) as archive:
            yield from read_csv_member(archive, f"{SHEET_NAME}.csv")
    except (zipfile.BadZipFile, OSError, EOFError, UnicodeDecodeError) as exc:
        raise ExchangeError(
            N_("The file is not an Excel workbook, or it is damaged or truncated."),
            code="exchange.damaged", path=str(path), detail=str(exc),
        ) from None


def package_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """The rows of the ``_fieldsurvey`` sheet of an .xlsx, or ``_fieldsurvey.csv`` of a zip."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except FileNotFoundError:
        raise ExchangeError(N_("The file does not exist."), code="exchange.missing",
                            path=str(path)) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ExchangeError(
            N_("The file is not an Excel workbook, or it is damaged or truncated."),
            code="exchange.damaged", path=str(path), detail=str(exc),
        ) from None
    if "xl/workbook.xml" in names:
        reader = XlsxReader(path)
        try:
            if SHEET_NAME not in reader.sheets:
                raise _not_fieldsurvey(path)
            yield from reader.iter_rows(SHEET_NAME)
        finally:
            reader.close()
    elif f"{SHEET_NAME}.csv" in names:
        yield from _csv_rows(path)
    else:
        raise _not_fieldsurvey(path)


@dataclass
class Incoming:
    record: PackageRecord
    root: ET.Element


def reject(path: Path, record: PackageRecord, message: str, params=None,
           code="exchange.record") -> ExchangeError:
    """The error that rejects ``path`` because of ``record`` (its row of the sheet)."""
    return ExchangeError(message, code=code, params=params, path=str(path), sheet=SHEET_NAME,
                         row=record.row)


def _invalid(path: Path, record: PackageRecord) -> ExchangeError:
    return reject(path, record, N_("The interview {key} is not valid XML."), {"key": record.key})


def _tampered(path: Path, record: PackageRecord) -> ExchangeError:
    return reject(path, record, N_("The interview {key} was changed after export."),
                  {"key": record.key}, code="exchange.tampered")


def parse_record(path: Path, record: PackageRecord) -> Incoming:
    """The parsed instance of ``record``; ExchangeError when it is not XML, or when its
    ``meta/instanceID`` is not the record's key (edited after export)."""
    try:
        root = parse_instance(record.text)
    except StoreError as exc:
        raise _invalid(path, record) from exc
    if read_meta(root).instance_id != record.key:
        raise _tampered(path, record)
    return Incoming(record, root)


def prepare_record(path: Path, record: PackageRecord) -> None:
    """Check an interview or revision record as :func:`parse_record` does, and give it its
    :attr:`search_text`, without building its tree (only stored, it needs none)."""
    try:
        instance_id, record.search_text = scan_instance(
            record.text, record.meta.get("display_name") or "")
    except StoreError as exc:
        raise _invalid(path, record) from exc
    if instance_id != record.key:
        raise _tampered(path, record)


def prepared_records(path: Path, end: list[PackageRecord] | None = None
                     ) -> Iterator[PackageRecord]:
    """The records of one file, checked (see :func:`~.package_sheet.read_records`, whose
    ``end`` this is), interviews and revisions prepared by :func:`prepare_record`."""
    path = Path(path)
    for record in read_records(package_rows(path), path=str(path), end=end):
        if record.kind in ("interview", "revision"):
            prepare_record(path, record)
        yield record


def worker_count(paths: Sequence[Path], requested: int | None = None) -> int:
    """How many worker processes to prepare ``paths`` with (0: in the merging process).

    ``requested`` (or the ``FIELDSURVEY_MERGE_WORKERS`` variable) decides when given;
    otherwise one per core, at most :data:`MAX_WORKERS` and one per file, and none for a
    merge small enough that starting processes would cost more than they save.
    """
    if requested is None:
        env = os.environ.get("FIELDSURVEY_MERGE_WORKERS", "").strip()
        requested = int(env) if env.isdigit() else None
    if requested is not None:
        return max(0, min(requested, len(paths)))
    cores = os.cpu_count() or 1
    try:
        size = sum(Path(p).stat().st_size for p in paths)
    except OSError:
        return 0  # a missing file: reported by the merge itself
    if cores < 2 or size < MIN_PARALLEL_BYTES:
        return 0
    return min(cores, MAX_WORKERS, len(paths))


# ------------------------------------------------------------------ worker processes


class _Outbox:
    """A worker's messages, pickled by the worker and written to the pipe by a thread.

    A message is larger than a pipe holds, so writing it waits until the merging process
    takes it, which it does when it needs the records. Written by a thread, the worker
    goes on preparing meanwhile (measured: a merge a seventh faster); at most
    :data:`SEND_AHEAD` messages wait, so memory stays bounded.
    """

    def __init__(self, results: Connection) -> None:
        self._results = results
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=SEND_AHEAD)
        self._broken = threading.Event()
        self._thread = threading.Thread(target=self._write, name="merge-outbox", daemon=True)
        self._thread.start()

    def _write(self) -> None:
        while (data := self._queue.get()) is not None:
            try:
                self._results.send_bytes(data)
            except OSError:  # the merging process is gone or closed the pipe
                self._broken.set()
                return

    def send(self, message: tuple) -> None:
        data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)  # what Connection.recv reads
        while not self._broken.is_set():
            try:
                self._queue.put(data, timeout=0.5)
                return
            except queue.Full:
                continue
        raise SystemExit(1)  # nobody reads: this worker is done

    def close(self) -> None:
        """Write what is queued, then close the pipe."""
        with contextlib.suppress(queue.Full):
            self._queue.put(None, timeout=60)
        self._thread.join(60)
        self._results.close()


def _work(jobs: Connection, results: Connection, parent: int) -> None:
    """A worker: prepare each file it is given and send its records in batches.

    Messages: ``("records", i, [...])``, then ``("end", i, end_record_or_None)`` or
    ``("error", i, error)``; ``("crash", i, text)`` for an unexpected exception.
    The worker exits at once when the merging process (``parent``) ends, killed or not.
    """
    die_with_parent(parent)
    files = []
    try:  # every job is sent at the start; the pipe then only tells the parent is there
        while (job := jobs.recv()) is not None:
            files.append(job)
    except (EOFError, OSError):
        return
    exit_when_parent_gone(jobs)
    outbox = _Outbox(results)
    with paused_gc():
        for index, path in files:
            end: list[PackageRecord] = []
            batch: list[PackageRecord] = []
            try:
                for record in prepared_records(Path(path), end):
                    batch.append(record)
                    if len(batch) >= BATCH:
                        outbox.send(("records", index, batch))
                        batch = []
                last = ("end", index, end[0] if end else None)
            except FieldSurveyError as exc:
                last = ("error", index, exc)
            except Exception as exc:  # reported to the merging process, which reads again
                log.exception("preparing %s failed", path)
                last = ("crash", index, f"{type(exc).__name__}: {exc}")
            # The records before an error too: the merge counts them as rejected.
            if batch:
                outbox.send(("records", index, batch))
            outbox.send(last)
    outbox.close()


class _Worker:
    def __init__(self, context, number: int) -> None:
        jobs_out, self.jobs = context.Pipe(duplex=False)
        self.results, results_in = context.Pipe(duplex=False)
        self.process = context.Process(target=_work, args=(jobs_out, results_in, os.getpid()),
                                       name=f"fieldsurvey-merge-{number}", daemon=True)
        self.process.start()
        kill_with_this_process(self.process)
        jobs_out.close()
        results_in.close()
        self.files: deque[int] = deque()  # files given, not yet finished, in order
        self.alive = True


@contextlib.contextmanager
def preparing(paths: Sequence[str | Path], workers: int) -> Iterator[PreparedFiles | None]:
    """:class:`PreparedFiles` with ``workers`` processes, or None (the merge reads the files
    itself) for no workers or when the processes cannot be started."""
    if not workers:
        yield None
        return
    try:
        prepared = PreparedFiles(paths, workers)
    except (OSError, RuntimeError) as exc:  # out of processes or memory, no executable...
        log.warning("merge workers not started (%s); reading the files here", exc)
        yield None
        return
    with prepared:
        yield prepared


class PreparedFiles:
    """The prepared records of ``paths``, read ahead by ``workers`` processes.

    Use as a context manager; :meth:`records` gives file ``i``'s records, files in order.
    """

    def __init__(self, paths: Sequence[str | Path], workers: int) -> None:
        self.paths = [Path(p) for p in paths]
        context = multiprocessing.get_context("spawn")  # no fork of a process with threads
        self._workers: list[_Worker] = []
        try:
            for n in range(max(1, workers)):
                self._workers.append(_Worker(context, n))
        except BaseException:
            self.close()
            raise
        self._buffers: dict[int, deque] = {i: deque() for i in range(len(self.paths))}
        self._ahead = 0  # records buffered for files not being merged yet
        self._current = -1  # the file being merged
        self._done: set[int] = set()  # files merged or given up: their messages are dropped
        self.fallbacks = 0  # files read again here because their worker failed
        for i, path in enumerate(self.paths):
            worker = self._workers[i % len(self._workers)]
            worker.jobs.send((i, str(path)))
            worker.files.append(i)
        for worker in self._workers:
            worker.jobs.send(None)

    def __enter__(self) -> PreparedFiles:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for worker in self._workers:
            if worker.process.is_alive():
                worker.process.terminate()
        for worker in self._workers:
            worker.process.join(5)
            if worker.process.is_alive():  # stuck where a termination request waits
                worker.process.kill()
                worker.process.join(5)
            for conn in (worker.jobs, worker.results):
                conn.close()

    def records(self, index: int, end: list[PackageRecord] | None = None
                ) -> Iterator[PackageRecord]:
        """File ``index``'s records, as :func:`prepared_records` gives them."""
        buffer = self._buffers[index]
        self._ahead -= sum(len(m[2]) for m in buffer if m[0] == "records")
        self._current = index
        yielded = 0
        try:
            while True:
                while not buffer:
                    self._receive(index)
                kind, _i, payload = buffer.popleft()
                if kind == "records":
                    for record in payload:
                        yielded += 1
                        yield record
                elif kind == "end":
                    if end is not None and payload is not None:
                        end.append(payload)
                    return
                elif kind == "error":
                    raise payload
                else:  # the worker crashed or died: read what is left here
                    self.fallbacks += 1
                    log.warning("merge worker failed on %s (%s); reading it again",
                                self.paths[index], payload)
                    for n, record in enumerate(prepared_records(self.paths[index], end)):
                        if n >= yielded:
                            yield record
                    return
        finally:
            # Stopped early (a rejected file): what its worker still sends is dropped.
            self._done.add(index)
            buffer.clear()

    def _receive(self, wanted: int) -> None:
        """Receive one message, from the worker of file ``wanted`` or, while not too far
        ahead, from any worker."""
        owner = self._workers[wanted % len(self._workers)]  # as the files were handed out
        if not owner.alive:
            self._buffers[wanted].append(("crash", wanted, "worker stopped"))
            return
        ready = [owner.results]
        if self._ahead < LOOKAHEAD:
            ready += [w.results for w in self._workers if w.alive and w is not owner]
        conn = wait(ready)[0]
        worker = next(w for w in self._workers if w.results is conn)
        try:
            message = conn.recv()
        except (EOFError, OSError):
            worker.alive = False
            for i in worker.files:
                if i not in self._done:
                    self._buffers[i].append(("crash", i, "worker stopped"))
            worker.files.clear()
            return
        kind, index, payload = message
        if kind != "records":
            worker.files.popleft()
        if index in self._done:
            return
        if kind == "records" and index != self._current:
            self._ahead += len(payload)
        self._buffers[index].append(message)
