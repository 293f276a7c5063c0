"""Forms and interviews through the Store API: what the UI, exchange and sync rely on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fieldsurvey.errors import StoreError
from fieldsurvey.i18n import set_language
from fieldsurvey.store import AuditEvent, InterviewStatus, open_store, to_odk_csv
from fieldsurvey.store.instance_xml import read_meta

from .conftest import instance, write_xform


def test_install_says_new_form_new_version_or_already_installed(data_dir, tmp_path):
    with open_store(data_dir) as store:
        first = store.install_form(write_xform(tmp_path, "1"))
        assert (first.is_new_form, first.is_new_version, first.already_installed) == (
            True,
            False,
            False,
        )
        assert first.form.languages == ["English (en)", "Español (es)"]
        assert first.form.default_language == "English (en)"
        again = store.install_form(write_xform(tmp_path, "1"))
        assert again.already_installed and not again.is_new_form
        second = store.install_form(write_xform(tmp_path, "2", title="Household v2"))
        assert second.is_new_version and not second.is_new_form
        assert [f.version for f in store.list_forms(all_versions=True)] == ["1", "2"]
        assert [f.version for f in store.list_forms()] == ["2"]
        assert store.get_form("household").title == "Household v2"
        # The old version stays, with its own XForm, for interviews started on it.
        assert "<h:title>Household</h:title>" in store.get_form("household", "1").xform


def test_same_version_with_other_content_is_refused(store, tmp_path):
    clash = write_xform(tmp_path, "1", title="Changed title", name="changed.xml")
    with pytest.raises(StoreError) as info:
        store.install_form(clash)
    assert info.value.code == "form_version_clash"
    assert "changed.xml" in info.value.english()
    assert store.get_form("household", "1").title == "Household"


def test_form_definition_comes_from_the_stored_xform(store):
    definition = store.form_definition("household", "1")
    assert definition.form_id == "household"
    assert definition.item("/household/age").datatype == "int"


def test_interview_for_a_form_not_installed_is_refused(store):
    with pytest.raises(StoreError, match="not installed"):
        store.create_interview("other", "1", instance("uuid:a"))


def test_autosave_keeps_every_answer_and_its_audit_event(store):
    store.create_interview("household", "1", instance("uuid:a"), enumerator="Field team 1")
    store.save_answer(
        "uuid:a",
        instance("uuid:a", name="Asociación Maya"),
        display_name="Asociación Maya",
        event=AuditEvent.answer("/household/name", None, "Asociación Maya", user="team1"),
    )
    record = store.get_interview("uuid:a")
    assert "<name>Asociación Maya</name>" in record.xml
    assert record.display_name == "Asociación Maya"
    assert record.status == InterviewStatus.DRAFT
    assert record.modified_at >= record.created_at
    events = store.audit_events("uuid:a")
    assert [e.event for e in events] == ["form start", "question"]
    assert events[1].new_value == "Asociación Maya" and events[1].node == "/household/name"
    csv_text = to_odk_csv(events)
    assert csv_text.splitlines()[0] == "event,node,start,end,old-value,new-value,user"
    assert "question,/household/name," in csv_text


def test_a_drafts_error_count_is_kept_across_a_restart(data_dir, xform_path):
    with open_store(data_dir) as store:
        store.install_form(xform_path)
        store.create_interview("household", "1", instance("uuid:a"))
        before = store.get_interview("uuid:a").modified_at
        store.set_error_count("uuid:a", 3)
        listed = store.list_interviews()[0]
        assert listed.error_count == 3
        # No answer changed: the list's "last change" stays where it was.
        assert listed.modified_at == before
    with open_store(data_dir) as store:
        assert store.get_interview("uuid:a").error_count == 3
        store.set_error_count("uuid:a", 0)
        assert store.get_interview("uuid:a").error_count == 0


def test_error_count_of_an_unknown_deleted_or_finalized_interview_is_refused(store):
    with pytest.raises(StoreError) as info:
        store.set_error_count("uuid:nobody", 2)
    assert info.value.code == "not_found"
    store.create_interview("household", "1", instance("uuid:a"))
    store.delete("uuid:a")
    with pytest.raises(StoreError) as info:
        store.set_error_count("uuid:a", 2)
    assert info.value.code == "deleted"
    assert store.get_interview("uuid:a").error_count == 0
    store.undelete("uuid:a")
    store.finalize("uuid:a", instance("uuid:a", name="Club"))
    with pytest.raises(StoreError) as info:
        store.set_error_count("uuid:a", 2)
    assert info.value.code == "not_draft"
    assert store.get_interview("uuid:a").error_count == 0


def test_a_refused_change_names_the_status_in_the_interface_language(store):
    store.create_interview("household", "1", instance("uuid:a"))
    store.finalize("uuid:a", instance("uuid:a", name="Club"))
    with pytest.raises(StoreError) as info:
        store.save_answer("uuid:a", instance("uuid:a", name="late change"))
    # The log keeps English; the user reads the status as the interview list names it.
    assert "has the status “Finalized”" in info.value.english()
    set_language("es")
    shown = info.value.translated()
    assert "tiene el estado “Finalizada”; reábrala" in shown
    assert "Finalized" not in shown and "finalized" not in shown


def test_answers_of_another_interview_are_refused(store):
    store.create_interview("household", "1", instance("uuid:a"))
    with pytest.raises(StoreError) as info:
        store.save_answer("uuid:a", instance("uuid:b", name="x"))
    assert info.value.code == "instance_mismatch"


def test_a_missing_instance_id_is_created(store):
    xml = '<household id="household" version="1"><name/><age/></household>'
    record = store.create_interview("household", "1", xml)
    assert record.instance_id.startswith("uuid:")
    assert read_meta(record.xml).instance_id == record.instance_id


def test_finalize_then_reopen_makes_a_new_revision_with_deprecated_id(store):
    store.create_interview("household", "1", instance("uuid:a"))
    store.finalize("uuid:a", instance("uuid:a", name="Club", age="12"))
    finalized = store.get_interview("uuid:a")
    assert finalized.status == InterviewStatus.FINALIZED and finalized.finalized_at
    with pytest.raises(StoreError) as info:
        store.save_answer("uuid:a", instance("uuid:a", name="late change"))
    assert info.value.code == "not_draft"

    reopened = store.reopen("uuid:a")
    meta = read_meta(reopened.xml)
    assert meta.instance_id == reopened.instance_id != "uuid:a"
    assert meta.deprecated_id == "uuid:a" == reopened.deprecated_id
    assert reopened.revision == 2 and reopened.status == InterviewStatus.DRAFT
    assert reopened.interview_key == "uuid:a"
    assert "<name>Club</name>" in reopened.xml
    # The old id still finds the interview; the finalized revision is kept.
    assert store.get_interview("uuid:a").instance_id == reopened.instance_id
    kept = store.revisions(reopened.instance_id)
    assert [(r.instance_id, r.revision) for r in kept] == [("uuid:a", 1)]

    store.save_answer(reopened.instance_id, reopened.xml.replace("Club", "Club Social"))
    store.finalize(reopened.instance_id, reopened.xml.replace("Club", "Club Social"))
    assert [r.revision for r in store.revisions("uuid:a")] == [1, 2]
    events = [e.event for e in store.audit_events("uuid:a")]
    assert events == ["form start", "form finalize", "form reopen", "form finalize"]
    # A second correction moves deprecatedID on instead of adding another one.
    third = store.reopen(reopened.instance_id)
    assert read_meta(third.xml).deprecated_id == reopened.instance_id
    assert third.xml.count("deprecatedID>") == 2


def test_reopen_keeps_the_openrosa_meta_namespace(store):
    xml = (
        '<household xmlns:orx="http://openrosa.org/xforms" id="household" version="1">'
        "<name>n</name><age/><orx:meta><orx:instanceID>uuid:ns</orx:instanceID></orx:meta>"
        "</household>"
    )
    store.create_interview("household", "1", xml)
    store.finalize("uuid:ns", xml)
    reopened = store.reopen("uuid:ns")
    assert "<orx:deprecatedID>uuid:ns</orx:deprecatedID>" in reopened.xml
    assert "ns0:" not in reopened.xml


def test_a_draft_cannot_be_reopened_nor_sent(store):
    store.create_interview("household", "1", instance("uuid:a"))
    with pytest.raises(StoreError, match="still a draft"):
        store.reopen("uuid:a")
    with pytest.raises(StoreError, match="not finalized"):
        store.mark_sent(["uuid:a"], profile="central")


def test_sent_and_exported_are_recorded(store):
    for n in ("a", "b"):
        store.create_interview("household", "1", instance(f"uuid:{n}"))
        store.finalize(f"uuid:{n}", instance(f"uuid:{n}", name=n))
    store.mark_sent(["uuid:a"], profile="central")
    store.mark_exported(["uuid:a", "uuid:b"], file="export.xlsx")
    a, b = store.get_interview("uuid:a"), store.get_interview("uuid:b")
    assert a.status == InterviewStatus.SENT and a.sent_at and a.exported_at
    assert b.status == InterviewStatus.EXPORTED and b.exported_at
    assert store.list_interviews(only_not_exported=True) == []
    assert "form sent" in [e.event for e in store.audit_events("uuid:a")]


def test_soft_delete_and_undo(store):
    store.create_interview("household", "1", instance("uuid:a"))
    store.finalize("uuid:a", instance("uuid:a", name="x"))
    store.delete("uuid:a")
    assert store.list_interviews() == []
    assert store.counts_by_status()["deleted"] == 1
    assert [r.deleted for r in store.list_interviews(include_deleted=True)] == [True]
    store.undelete("uuid:a")
    assert store.get_interview("uuid:a").status == InterviewStatus.FINALIZED
    events = [e.event for e in store.audit_events("uuid:a")]
    assert events[-2:] == ["form deleted", "form restored"]


def test_list_filter_search_and_count(store, tmp_path):
    store.install_form(write_xform(tmp_path, "2"))
    store.create_interview(
        "household",
        "1",
        instance("uuid:1", name="Casa Guatemala"),
        enumerator="enumerator01",
        display_name="Casa Guatemala",
    )
    store.create_interview(
        "household",
        "2",
        instance("uuid:2", name="Club Zacatecas", version="2"),
        enumerator="enumerator02",
        display_name="Club Zacatecas",
    )
    store.create_interview(
        "household", "2", instance("uuid:3", name="ÁGUILA", version="2"), enumerator="enumerator02"
    )
    store.finalize("uuid:2", instance("uuid:2", name="Club Zacatecas", version="2"))

    def ids(**filters):
        return sorted(r.instance_id for r in store.list_interviews(**filters))

    assert ids() == ["uuid:1", "uuid:2", "uuid:3"]
    assert ids(version="2") == ["uuid:2", "uuid:3"]
    assert ids(status="finalized") == ["uuid:2"]
    assert ids(status=["draft"]) == ["uuid:1", "uuid:3"]
    assert ids(enumerator="enumerator01") == ["uuid:1"]
    assert ids(text="zacatecas") == ["uuid:2"]
    assert ids(text="águila") == ["uuid:3"]  # case-insensitive beyond ASCII
    assert ids(text="100%") == []
    assert ids(since=datetime.now(UTC) + timedelta(hours=1)) == []
    assert ids(until=datetime.now(UTC) + timedelta(hours=1)) == ["uuid:1", "uuid:2", "uuid:3"]
    assert ids(since=datetime.now(UTC).date().isoformat()) == ["uuid:1", "uuid:2", "uuid:3"]
    names = [
        r.display_name for r in store.list_interviews(order_by="display_name", descending=False)
    ]
    assert names == ["", "Casa Guatemala", "Club Zacatecas"]
    assert len(store.list_interviews(limit=2)) == 2
    assert store.counts_by_status() == {
        "draft": 2,
        "finalized": 1,
        "sent": 0,
        "exported": 0,
        "deleted": 0,
    }
    assert store.list_forms(all_versions=True)[1].counts_by_status == {"draft": 1, "finalized": 1}
    streamed = list(store.iter_interviews(form_id="household"))
    assert len(streamed) == 3 and all(r.xml.startswith("<household") for r in streamed)


def test_attachments_are_kept_by_content_hash(store, tmp_path):
    store.create_interview("household", "1", instance("uuid:a"))
    store.create_interview("household", "1", instance("uuid:b"))
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8 not really a jpeg")
    sha = store.add_attachment("uuid:a", photo)
    assert store.add_attachment("uuid:b", photo) == sha
    assert store.attachment_path(sha).read_bytes() == photo.read_bytes()
    assert store.attachments("uuid:a") == [("photo.jpg", sha, store.attachment_path(sha))]
    store.attachment_path(sha).unlink()
    report = store.check()
    assert not report.ok and report.missing_attachments == [sha]


def test_sync_attempts_are_kept(store):
    store.create_interview("household", "1", instance("uuid:a"))
    store.record_sync_attempt("uuid:a", "central", "https://example.org", 503, "down", False)
    store.record_sync_attempt("uuid:a", "central", "https://example.org", 201, "ok", True)
    assert [(a.status_code, a.ok) for a in store.sync_attempts("uuid:a")] == [
        (503, False),
        (201, True),
    ]


def test_bulk_import_is_idempotent_and_links_revisions(store):
    with store.transaction() as session:
        outcomes = [
            store.import_revision(
                session,
                instance(f"uuid:{i}", name=f"org {i}"),
                enumerator="enumerator01",
                source="laptop-2.xlsx",
            )
            for i in range(50)
        ]
    assert outcomes == ["new"] * 50
    with store.transaction() as session:
        again = store.import_revision(session, instance("uuid:7", name="org 7"))
        corrected = store.import_revision(
            session,
            instance(
                "uuid:7b", name="org 7 corrected", extra_meta="<deprecatedID>uuid:7</deprecatedID>"
            ),
        )
    assert (again, corrected) == ("duplicate", "revision")
    current = store.get_interview("uuid:7")
    assert current.instance_id == "uuid:7b" and current.revision == 2
    assert current.status == InterviewStatus.FINALIZED
    assert [r.source for r in store.revisions("uuid:7")] == ["laptop-2.xlsx", "import"]
    assert store.counts_by_status()["finalized"] == 50


def test_every_kept_revision_carries_its_content_hash(store):
    """A merge tells contents apart by their hash: each path that keeps a revision
    writes it (the bulk import writes at the driver, the finalize through the ORM)."""
    import hashlib

    from sqlalchemy import select

    from fieldsurvey.store.models import RevisionRow

    imported = instance("uuid:bulk", name="org bulk")
    with store.transaction() as session:
        store.import_revision(session, imported)
    store.create_interview("household", "1", instance("uuid:here"))
    finalized = instance("uuid:here", name="org here")
    store.finalize("uuid:here", finalized)
    with store.transaction() as session:
        kept = dict(session.execute(select(RevisionRow.instance_id, RevisionRow.content_sha)).all())
    sha = {xml: hashlib.sha256(xml.encode("utf-8")).hexdigest() for xml in (imported, finalized)}
    assert kept == {"uuid:bulk": sha[imported], "uuid:here": sha[finalized]}


def test_a_failed_bulk_transaction_leaves_nothing(store):
    with pytest.raises(RuntimeError):
        with store.transaction() as session:
            store.import_revision(session, instance("uuid:x", name="x"))
            raise RuntimeError("import stopped")
    assert store.list_interviews() == []


def test_bundled_forms_install_once_and_failures_are_reported(store, tmp_path, monkeypatch):
    from openpyxl import Workbook

    folder = tmp_path / "bundled"
    folder.mkdir()
    good = Workbook()
    good.active.title = "survey"
    good.active.append(["type", "name", "label"])
    good.active.append(["text", "q1", "Question"])
    settings = good.create_sheet("settings")
    settings.append(["form_id", "version"])
    settings.append(["bundled_check", "1"])
    good.save(folder / "check.xlsx")
    (folder / "broken.xlsx").write_bytes(b"not a workbook")
    (folder / "~$check.xlsx").write_bytes(b"excel lock file")
    monkeypatch.setattr("fieldsurvey.store.form_catalog.bundled_forms_dir", lambda: folder)

    results = store.install_bundled_forms()
    by_name = {r.source_path.name: r for r in results}
    assert set(by_name) == {"check.xlsx", "broken.xlsx"}
    assert by_name["check.xlsx"].is_new_form and by_name["check.xlsx"].error is None
    assert by_name["broken.xlsx"].form is None and by_name["broken.xlsx"].error is not None
    again = store.install_bundled_forms()
    assert [r.source_path.name for r in again] == ["broken.xlsx"]
    assert store.get_form("bundled_check").version == "1"
