"""The sync with the real local store: forms pulled and installed, interviews sent and
marked sent, corrections, and every attempt recorded."""

from __future__ import annotations

import pytest

from fieldsurvey.store import InterviewStatus, open_store
from fieldsurvey.sync.profiles import ServerProfile
from fieldsurvey.sync.service import sync

from .conftest import FAST, instance_xml, xform


@pytest.fixture
def real_store(data_dir):
    store = open_store(data_dir, backup_on_start=False)
    yield store
    store.close()


def kobo(url):
    return ServerProfile("office", "kobo", url, user="enumerator01", auth="digest")


def finalized(store, form_id="household", answer="yes"):
    xml = instance_xml(form_id, answer=answer)
    record = store.create_interview(form_id, "1", xml)
    store.finalize(record.instance_id, xml)
    return record.instance_id


def test_pull_then_send_with_the_real_store(real_store, server, tmp_path):
    server.add_form("household", xform(), version="1", media={"villages.csv": b"name\nA\n"})
    report = sync(real_store, kobo(server.url), secret="s3cret", options=FAST,
                  pull_forms=True)
    assert report.forms_pulled == ["household (1)"], report.summary_lines()
    installed = real_store.get_form("household")
    assert installed.version == "1"
    media = real_store.form_media_dir("household", "1") / "villages.csv"
    assert media.read_bytes() == b"name\nA\n"

    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8jpeg")
    sent_id = finalized(real_store)
    real_store.add_attachment(sent_id, photo)
    report = sync(real_store, kobo(server.url), secret="s3cret", options=FAST,
                  pull_forms=True)
    assert report.sent == 1 and report.forms_up_to_date == 1 and report.ok
    record = real_store.get_interview(sent_id)
    assert record.status == InterviewStatus.SENT and record.sent_at is not None
    assert server.submissions[sent_id].attachments == {"photo.jpg": b"\xff\xd8jpeg"}
    attempts = real_store.sync_attempts(sent_id)
    assert [(a.ok, a.status_code) for a in attempts] == [(True, 201)]

    # A correction goes out as a new submission that names the one it replaces.
    reopened = real_store.reopen(sent_id)
    real_store.finalize(reopened.instance_id, reopened.xml)
    report = sync(real_store, kobo(server.url), secret="s3cret", options=FAST)
    assert report.sent == 1
    assert server.submissions[reopened.instance_id].deprecated_id == sent_id


def test_a_failed_attempt_is_recorded_and_the_interview_stays_finalized(real_store, server):
    server.add_form("household", xform(), version="1")
    sync(real_store, kobo(server.url), secret="s3cret", options=FAST, pull_forms=True)
    instance_id = finalized(real_store)
    server.fail("403")
    report = sync(real_store, kobo(server.url), secret="s3cret", options=FAST)
    assert report.failed == 1
    assert real_store.get_interview(instance_id).status == InterviewStatus.FINALIZED
    attempts = real_store.sync_attempts(instance_id)
    assert [(a.ok, a.status_code) for a in attempts] == [(False, 403)]
    report = sync(real_store, kobo(server.url), secret="s3cret", options=FAST)
    assert report.sent == 1
    assert real_store.get_interview(instance_id).status == InterviewStatus.SENT


def test_beyond_the_prefetch_budget_interviews_are_read_one_by_one(real_store, server,
                                                                   monkeypatch):
    from fieldsurvey.sync import push

    server.add_form("household", xform(), version="1")
    sync(real_store, kobo(server.url), secret="s3cret", options=FAST, pull_forms=True)
    ids = [finalized(real_store, answer=str(i)) for i in range(3)]
    monkeypatch.setattr(push, "PREFETCH_BYTES", 1)  # only the first is read in advance
    report = sync(real_store, kobo(server.url), secret="s3cret", options=FAST)
    assert report.sent == 3 and set(server.submissions) == set(ids)
    assert all(real_store.get_interview(i).status == InterviewStatus.SENT for i in ids)


def test_a_store_that_cannot_record_is_reported_not_hidden(real_store, server, monkeypatch):
    from fieldsurvey.errors import StoreError
    from fieldsurvey.sync import push

    server.add_form("household", xform(), version="1")
    sync(real_store, kobo(server.url), secret="s3cret", options=FAST, pull_forms=True)
    instance_id = finalized(real_store)

    def broken(*args, **kwargs):
        raise StoreError("The database is locked.")

    # The acknowledgements are written, in bulk, after the answers came back.
    monkeypatch.setattr(push, "acknowledge", broken)
    report = sync(real_store, kobo(server.url), secret="s3cret", options=FAST)
    assert report.error is not None and report.error.code == "store"
    assert real_store.get_interview(instance_id).status == InterviewStatus.FINALIZED
    monkeypatch.undo()
    # Next time the server says it has it, and it is marked sent.
    again = sync(real_store, kobo(server.url), secret="s3cret", options=FAST)
    assert again.already_on_server == 1
    assert real_store.get_interview(instance_id).status == InterviewStatus.SENT


def test_acknowledged_interviews_are_marked_sent_in_bulk_with_their_audit_event(real_store,
                                                                               server):
    from fieldsurvey.store.audit import FORM_SENT
    from fieldsurvey.sync.store_access import acknowledge

    server.add_form("household", xform(), version="1")
    sync(real_store, kobo(server.url), secret="s3cret", options=FAST, pull_forms=True)
    ids = [finalized(real_store, answer=str(i)) for i in range(4)]
    report = sync(real_store, kobo(server.url), secret="s3cret", options=FAST)
    assert report.sent == 4
    for instance_id in ids:
        record = real_store.get_interview(instance_id)
        assert record.status == InterviewStatus.SENT and record.sent_at is not None
        sent_events = [e for e in real_store.audit_events(instance_id) if e.event == FORM_SENT]
        assert [e.new_value for e in sent_events] == ["office"]
        assert [(a.ok, a.status_code, a.profile) for a in real_store.sync_attempts(instance_id)
                ] == [(True, 201, "office")]

    # An interview reopened for correction while its first version was on the wire stays
    # a draft (the correction is not sent); the delivery is still on record.
    other = finalized(real_store, answer="late")
    reopened = real_store.reopen(other)
    acknowledge(real_store, "office", server.url, [(other, 201, "ok", True)])
    assert real_store.get_interview(reopened.instance_id).status == InterviewStatus.DRAFT
    assert [a.ok for a in real_store.sync_attempts(other)] == [True]


def test_an_interview_exported_to_a_workbook_is_still_sent(real_store, server):
    server.add_form("household", xform(), version="1")
    sync(real_store, kobo(server.url), secret="s3cret", options=FAST, pull_forms=True)
    instance_id = finalized(real_store)
    real_store.mark_exported([instance_id], file="laptop.xlsx")
    assert real_store.get_interview(instance_id).status == InterviewStatus.EXPORTED
    report = sync(real_store, kobo(server.url), secret="s3cret", options=FAST)
    assert report.sent == 1 and report.ok, report.summary_lines()
    assert instance_id in server.submissions
    record = real_store.get_interview(instance_id)
    assert record.status == InterviewStatus.SENT and record.sent_at is not None
    # Exported again after sending: it is not sent twice.
    real_store.mark_exported([instance_id], file="again.xlsx")
    again = sync(real_store, kobo(server.url), secret="s3cret", options=FAST)
    assert (again.to_send, again.sent) == (0, 0) and again.ok


def test_a_pulled_form_whose_id_or_media_file_is_a_path_is_refused_and_reported(
        real_store, server, data_dir, tmp_path):
    server.add_form("evil", xform("../../evil"), version="1")
    server.add_form("household", xform(), version="1", media={"../evil.csv": b"x"})
    server.add_form("health", xform("health", title="Health"), version="1")
    report = sync(real_store, kobo(server.url), secret="s3cret", options=FAST,
                  pull_forms=True)
    assert report.forms_pulled == ["health (1)"]
    assert [f.form_id for f in real_store.list_forms()] == ["health"]
    messages = {f.subject: f.message for f in report.form_failures}
    assert "The form id '../../evil' cannot be used" in messages["evil"]
    assert "The media file '../evil.csv' cannot be used" in messages["household"]
    outside = [p for p in tmp_path.rglob("*evil*")]
    assert outside == [] and not (data_dir.root.parent.parent / "evil.csv").exists()
