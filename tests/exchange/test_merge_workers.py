"""Merging with worker processes gives exactly what merging in one process gives."""

from __future__ import annotations

import pickle

import openpyxl
import pytest

from fieldsurvey.errors import ExchangeError, StoreError
from fieldsurvey.exchange import merge_prepare
from fieldsurvey.exchange.export import export_workbook
from fieldsurvey.exchange.importer import merge_files
from fieldsurvey.exchange.merge_prepare import PreparedFiles, prepared_records, worker_count

from .samples import (
    SURVEY_MD,
    add_interview,
    install_xform,
    orgs_instance,
    rewrite_package_sheet,
    xform_from_md,
)


@pytest.fixture
def exports(store_factory, tmp_path):
    """Two good exports (one with a correction of the other), and bad files between them."""
    laptop = store_factory("laptop")
    install_xform(laptop, xform_from_md(SURVEY_MD.format(version="2")), tmp_path)
    for i in range(12):
        add_interview(laptop, orgs_instance(f"uuid:w{i}", org=f"Organización {i}"))
    first = tmp_path / "first.xlsx"
    export_workbook(laptop, "orgs", first)
    reopened = laptop.reopen("uuid:w3")
    laptop.finalize(reopened.instance_id, reopened.xml.replace("Organización 3", "Org tres"))
    add_interview(laptop, orgs_instance("uuid:w12", org="Nueva"))
    second = tmp_path / "second.xlsx"
    export_workbook(laptop, "orgs", second)

    tampered = tmp_path / "tampered.xlsx"
    rewrite_package_sheet(first, tampered, lambda d: d.replace(b"Organizaci\xc3\xb3n 5",
                                                               b"Organizaci\xc3\xb3n 6"))
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(first.read_bytes()[:-300])
    foreign = tmp_path / "foreign.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["SubmissionDate", "KEY"])
    book.save(foreign)
    return [first, tampered, truncated, second, foreign, tmp_path / "missing.xlsx", first]


def _stored(store):
    return sorted((r.instance_id, r.xml, str(r.status), r.revision)
                  for r in store.iter_interviews(form_id="orgs", include_deleted=True))


def _searched(store, text):
    return sorted(s.instance_id for s in store.list_interviews(form_id="orgs", text=text))


def _outcome(report):
    files = []
    for f in report.files:
        error = f.error
        files.append((dict(f.counts), error and (type(error), error.code, error.path,
                                                   error.sheet, error.row, error.column,
                                                   error.english())))
    return files, sorted(w.english() for w in report.warnings)


def test_workers_merge_exactly_as_one_process(exports, store_factory):
    alone, helped = store_factory("alone"), store_factory("helped")
    by_one = merge_files(alone, exports, workers=0)
    by_workers = merge_files(helped, exports, workers=2)
    assert _outcome(by_workers) == _outcome(by_one)
    counts = [f.counts for f in by_workers.files]
    assert counts[1]["rejected"] == 5  # the interviews read before the edited record
    assert counts[0]["new"] == 12 and counts[3]["new"] == 1 and counts[3]["updated"] == 1
    assert counts[6]["unchanged"] == 12  # the first file again: nothing changes
    assert [f.error.code if f.error else None for f in by_workers.files] == [
        None, "exchange.tampered", "exchange.damaged", None, "exchange.not_fieldsurvey",
        "exchange.missing", None]
    assert _stored(helped) == _stored(alone)
    # The search text was derived in the workers: the list finds the same interviews.
    assert _searched(helped, "organización 7") == _searched(alone, "organización 7") == [
        "uuid:w7"]
    assert _searched(helped, "tres") == _searched(alone, "tres") and _searched(helped, "tres")


def test_a_worker_that_dies_costs_time_not_records(exports):
    good = [exports[0], exports[3]]
    expected = [[(r.kind, r.key, r.text, r.search_text) for r in prepared_records(p)]
                for p in good]
    with PreparedFiles(good, 1) as prepared:
        prepared._workers[0].process.kill()
        got = [[(r.kind, r.key, r.text, r.search_text) for r in prepared.records(i)]
               for i in range(len(good))]
        assert prepared.fallbacks == 2
    assert got == expected


def test_a_file_left_early_does_not_hold_its_records(exports):
    good = [exports[0], exports[3]]
    with PreparedFiles(good, 2) as prepared:
        records = prepared.records(0)
        next(records)
        records.close()  # the merge rejected the file after its first record
        assert [r.key for r in prepared.records(1)] == [r.key for r in prepared_records(good[1])]
        assert not prepared._buffers[0]


def test_errors_cross_processes_whole():
    error = ExchangeError("The interview {key} is not valid XML.", code="exchange.record",
                          params={"key": "uuid:x"}, path="a.xlsx", sheet="_fieldsurvey",
                          row=7, column="G", detail="line 1")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is ExchangeError
    assert (again.code, again.path, again.sheet, again.row, again.column, again.detail) == (
        "exchange.record", "a.xlsx", "_fieldsurvey", 7, "G", "line 1")
    assert again.english() == error.english() and str(again) == str(error)
    assert type(pickle.loads(pickle.dumps(StoreError(code="bad_instance")))) is StoreError


def test_worker_count_policy(exports, monkeypatch):
    monkeypatch.delenv("FIELDSURVEY_MERGE_WORKERS", raising=False)
    monkeypatch.setattr(merge_prepare.os, "cpu_count", lambda: 8)
    small = [exports[0], exports[3]]
    assert worker_count(small) == 0  # a few kilobytes: processes would cost more
    monkeypatch.setattr(merge_prepare, "MIN_PARALLEL_BYTES", 1)
    assert worker_count(small) == 2  # one per file
    assert worker_count(exports[:5]) == merge_prepare.MAX_WORKERS
    assert worker_count(small, 0) == 0
    monkeypatch.setenv("FIELDSURVEY_MERGE_WORKERS", "0")
    assert worker_count(small) == 0
    monkeypatch.setattr(merge_prepare.os, "cpu_count", lambda: 1)
    monkeypatch.delenv("FIELDSURVEY_MERGE_WORKERS")
    assert worker_count(small) == 0


def test_workers_that_cannot_start_leave_the_merge_to_this_process(exports, store_factory,
                                                                   monkeypatch):
    def no_processes(*_args, **_kwargs):
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(merge_prepare._Worker, "__init__", no_processes)
    store = store_factory("coordinator")
    report = merge_files(store, [exports[0], exports[3]], workers=2)
    assert [f.counts["new"] for f in report.files] == [12, 1]
    assert not any(f.error for f in report.files)


def test_cancelling_a_merge_stops_its_workers(exports, store_factory):
    import multiprocessing

    from fieldsurvey.errors import CancelledError

    store = store_factory("coordinator")
    with pytest.raises(CancelledError):
        merge_files(store, [exports[0], exports[3]], workers=2, cancel=lambda: True)
    assert not [p for p in multiprocessing.active_children()
                if p.name.startswith("fieldsurvey-merge-")]
    assert _stored(store) == []
