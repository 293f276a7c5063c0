"""The hot paths (autosave, bulk import, lists) written as plain SQL keep the Store's
behaviour: refusals write nothing, names and search follow the answers, times stay
aware UTC datetimes, and a big import refreshes the planner's statistics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldsurvey.errors import StoreError
from fieldsurvey.store import AuditEvent, InterviewStatus, models, repository

from .conftest import instance

BOMB = (
    '<?xml version="1.0"?><!DOCTYPE household [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    '<household id="household" version="1"><name>&b;</name><age/>'
    "<meta><instanceID>uuid:a</instanceID></meta></household>"
)


def test_an_instance_declaring_entities_is_refused_and_earlier_answers_stay(store):
    store.create_interview("household", "1", instance("uuid:a"))
    store.save_answer("uuid:a", instance("uuid:a", name="Kept"))
    with pytest.raises(StoreError) as info:
        store.save_answer("uuid:a", BOMB)
    assert info.value.code == "bad_instance"
    assert "<name>Kept</name>" in store.get_interview("uuid:a").xml


def test_a_refused_save_writes_neither_answers_nor_audit_events(store):
    store.create_interview("household", "1", instance("uuid:a"))
    store.finalize("uuid:a", instance("uuid:a", name="Final"))
    before = store.audit_events("uuid:a")
    with pytest.raises(StoreError) as info:
        store.save_answer(
            "uuid:a",
            instance("uuid:a", name="Changed"),
            event=AuditEvent.answer("/household/name", "Final", "Changed"),
        )
    assert info.value.code == "not_draft"
    assert "<name>Final</name>" in store.get_interview("uuid:a").xml
    assert store.audit_events("uuid:a") == before
    with pytest.raises(StoreError) as missing:
        store.save_answer("uuid:nobody", instance("uuid:nobody"))
    assert missing.value.code == "not_found"


def test_autosave_keeps_or_renames_the_display_name_and_search_follows(store):
    store.create_interview("household", "1", instance("uuid:a"), display_name="Cooperativa")
    store.save_answer("uuid:a", instance("uuid:a", name="Ñandú", age="41"))
    assert store.get_interview("uuid:a").display_name == "Cooperativa"
    assert [s.instance_id for s in store.list_interviews(text="ñandú")] == ["uuid:a"]
    assert [s.instance_id for s in store.list_interviews(text="cooperativa")] == ["uuid:a"]

    store.save_answer("uuid:a", instance("uuid:a", name="Ñandú", age="42"), display_name="ÉCOLE")
    assert store.get_interview("uuid:a").display_name == "ÉCOLE"
    assert [s.instance_id for s in store.list_interviews(text="école")] == ["uuid:a"]
    assert store.list_interviews(text="cooperativa") == []
    assert store.list_interviews(text="41") == []
    assert len(store.list_interviews(text="42")) == 1


def test_an_audit_event_without_a_start_time_is_timed_at_the_save(store):
    store.create_interview("household", "1", instance("uuid:a"))
    before = int(datetime.now(UTC).timestamp() * 1000)
    store.save_answer("uuid:a", instance("uuid:a", age="3"), event=AuditEvent("question", "/x"))
    event = store.audit_events("uuid:a")[-1]
    assert event.node == "/x" and event.start >= before


def test_list_times_are_aware_utc_whatever_form_they_were_imported_in(store):
    plus_two = timezone(timedelta(hours=2))
    with store.transaction() as session:
        store.import_revision(
            session,
            instance("uuid:a", name="a"),
            created_at="2024-05-01T11:30:00+02:00",  # stored as given
            modified_at=datetime(2024, 5, 1, 12, 0, tzinfo=plus_two),
            finalized_at=datetime(2024, 5, 1, 10, 15),  # naive: taken as UTC
        )
    [summary] = store.list_interviews()
    record = store.get_interview("uuid:a")
    for item in (summary, record):
        assert item.created_at == datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
        assert item.modified_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
        assert item.finalized_at == datetime(2024, 5, 1, 10, 15, tzinfo=UTC)
        assert item.created_at.utcoffset() == timedelta(0)
        assert item.sent_at is None and item.exported_at is None
        assert item.status is InterviewStatus.FINALIZED and item.deleted is False
    assert store.list_interviews(since="2024-05-01T09:59:00Z", until="2024-05-01T10:01:00Z")


def _statistics(store) -> list[str]:
    with store.transaction() as session:
        conn = session.connection()
        if not conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
        ).first():
            return []
        return [row[0] for row in conn.exec_driver_sql("SELECT DISTINCT tbl FROM sqlite_stat1")]


def test_a_big_import_refreshes_statistics_and_gives_back_the_log_space(store, monkeypatch):
    monkeypatch.setattr(repository, "ANALYZE_AFTER_IMPORT", 5)
    wal = Path(f"{store.path}-wal")
    with store.transaction() as session:
        for i in range(4):
            store.import_revision(session, instance(f"uuid:small-{i}", name="s"))
    assert _statistics(store) == []
    assert wal.stat().st_size > 0
    with store.transaction() as session:
        for i in range(5):
            store.import_revision(session, instance(f"uuid:big-{i}", name="b"))
    assert wal.stat().st_size == 0
    assert "interviews" in _statistics(store)
    assert store.check().ok and len(store.list_interviews()) == 9


@settings(max_examples=300, deadline=None)
@given(st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=-6)), None])),
       st.sampled_from(["auto", "hours", "minutes", "seconds", "milliseconds", "microseconds"]),
       st.sampled_from(["T", " "]))
def test_times_read_from_files_are_stored_as_the_models_store_them(moment, spec, sep):
    """A merge cuts exported times to the stored text without a datetime in between."""
    text = moment.isoformat(sep=sep, timespec=spec)
    assert models.iso_to_utc_text(text) == models.to_utc_text(datetime.fromisoformat(text))


@pytest.mark.parametrize("text", ["", "yesterday", "2024-13-01T00:00:00+00:00",
                                  "2024-05-01T25:00:00+00:00"])
def test_what_is_not_a_time_is_refused(text):
    with pytest.raises(ValueError):
        models.iso_to_utc_text(text)
