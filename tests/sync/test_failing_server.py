"""A server that fails every request stops the batch after a few failures in a row,
with one message; a failure now and then is still retried with back-off."""

from __future__ import annotations

import json
import time

import pytest

from fieldsurvey.sync.openrosa import ConnectionOptions
from fieldsurvey.sync.profiles import ServerProfile
from fieldsurvey.sync.service import sync

from .conftest import cli, instance_xml, xform

#: Four attempts per request, as by default, but with waits of a few milliseconds.
QUICK = ConnectionOptions(timeout=0.3, retries=3, backoff=0.01, failing_after=3)


def run(store, url, options=QUICK):
    profile = ServerProfile("office", "kobo", url, user="enumerator01", auth="digest")
    return sync(store, profile, secret="s3cret", options=options)


@pytest.mark.parametrize("fault", ["500", "503", "timeout"])
def test_a_server_failing_every_request_stops_the_batch(store, server, fault):
    ids = [store.add(instance_xml()) for _ in range(4)]
    server.fail(fault, times=None, delay=0.6)
    started = time.monotonic()
    report = run(store, server.url)
    assert time.monotonic() - started < 5
    assert report.error.code == "sync-server-failing"
    message = report.error.translated()
    assert "is failing" in message and "kept ready to send: 4" in message
    assert f"127.0.0.1:{server.port}" in message
    # One message for the whole batch, not one failure per interview.
    assert (report.failed, report.remaining, report.sent) == (0, 4, 0)
    assert store.sent == {} and all(store.records[i].status == "finalized" for i in ids)
    # Three attempts for the first interview, at most one for the second: not 4 x 4.
    assert server.posts <= 4
    assert not report.ok


def test_a_timeout_message_says_how_long_it_waited(store, server):
    store.add(instance_xml())
    server.fail("timeout", times=None, delay=0.6)
    report = run(store, server.url)
    assert "no answer within 0.3 seconds" in report.error.translated()
    assert report.error.cause.code == "sync-timeout"


def test_isolated_failures_are_retried_with_back_off_and_sent(store, server):
    ids = [store.add(instance_xml()) for _ in range(3)]
    server.fail("500", times=2)  # two failures in a row: under the limit of three
    server.fail("500", skip=1, times=2)  # and two more on a later interview
    report = run(store, server.url)
    assert report.ok and report.sent == 3
    assert set(store.sent) == set(ids)


def test_one_interview_the_server_chokes_on_does_not_stop_the_others(store, server):
    first, *others = [store.add(instance_xml()) for _ in range(3)]
    server.fail("500", times=3)  # every attempt of the first interview
    report = run(store, server.url)
    assert report.error is None
    assert [f.subject for f in report.failures] == [first]
    assert set(store.sent) == set(others)


def test_the_back_off_schedule_is_configurable():
    options = ConnectionOptions(retries=4, backoff=0.5, backoff_factor=2, max_backoff=1.5)
    assert options.waits() == [0.5, 1.0, 1.5, 1.5]
    assert ConnectionOptions(retries=0).waits() == []
    assert ConnectionOptions().waits() == [1.0, 2.0, 4.0]


def test_the_command_line_says_it_once_and_exits_1(data_dir, server, monkeypatch):
    from fieldsurvey.store import open_store

    monkeypatch.setattr(ConnectionOptions, "from_settings",
                        classmethod(lambda cls, settings, **kw: QUICK))
    server.add_form("household", xform(), version="1")
    code, _out, err = cli(["profiles", "add", "office", "--kind", "kobo", "--url", server.url,
                           "--user", "enumerator01"], stdin="s3cret\n")
    assert cli(["sync", "--profile", "office", "--pull-forms"])[0] == 0
    with open_store(data_dir) as store:
        for n in range(2):
            xml = instance_xml(answer=str(n))
            record = store.create_interview("household", "1", xml)
            store.finalize(record.instance_id, xml)
    server.fail("500", times=None)
    code, out, _err = cli(["sync", "--profile", "office", "--json"])
    assert code == 1
    payload = json.loads(out)
    assert payload["ok"] is False and payload["error"]["code"] == "sync-server-failing"
    assert (payload["failed"], payload["remaining"], payload["sent"]) == (0, 2, 0)
    code, out, _err = cli(["sync", "--profile", "office"])
    assert code == 1
    assert out.count("is failing") == 1 and "0 interviews failed" in out
