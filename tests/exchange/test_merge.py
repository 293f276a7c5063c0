"""Export from one laptop, merge into another: exact rebuild, idempotence, conflicts, rejections."""

from __future__ import annotations

from xml.etree.ElementTree import canonicalize

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldsurvey.exchange.export import export_workbook
from fieldsurvey.exchange.importer import merge_files
from fieldsurvey.exchange.merge_report import MergeReport

from .samples import (
    SURVEY_MD,
    add_interview,
    install_xform,
    orgs_instance,
    rewrite_package_sheet,
    xform_from_md,
)


@pytest.fixture
def laptop(store_factory, tmp_path):
    store = store_factory("laptop")
    install_xform(store, xform_from_md(SURVEY_MD.format(version="2")), tmp_path)
    return store


def _snapshot(store):
    return {r.instance_id: (r.xml, r.status, r.revision)
            for r in store.iter_interviews(form_id="orgs", include_deleted=True)}


def test_round_trip_rebuilds_every_interview_exactly(laptop, store_factory, tmp_path):
    for i in range(3):
        add_interview(laptop, orgs_instance(f"uuid:r{i}", org=f"=HYPERLINK(\"x\") {i}"))
    export_workbook(laptop, "orgs", tmp_path / "a.xlsx", mark_exported=False)
    coordinator = store_factory("coordinator")
    report = merge_files(coordinator, [tmp_path / "a.xlsx"])
    assert report.counts["new"] == 3
    for iid, (xml, status, revision) in _snapshot(laptop).items():
        got = coordinator.get_interview(iid)
        assert canonicalize(got.xml) == canonicalize(xml)
        assert (got.status, got.revision) == (status, revision)
    again = merge_files(coordinator, [tmp_path / "a.xlsx"])
    assert again.counts["unchanged"] == 3 and again.counts["new"] == 0


def test_corrected_interview_updates_and_keeps_revisions(laptop, store_factory, tmp_path):
    add_interview(laptop, orgs_instance("uuid:c1"))
    export_workbook(laptop, "orgs", tmp_path / "v1.xlsx")
    coordinator = store_factory("coordinator")
    merge_files(coordinator, [tmp_path / "v1.xlsx"])
    reopened = laptop.reopen("uuid:c1")
    laptop.finalize(reopened.instance_id, reopened.xml.replace("Casa Maya", "Casa Maya II"))
    export_workbook(laptop, "orgs", tmp_path / "v2.xlsx")
    report = merge_files(coordinator, [tmp_path / "v2.xlsx"])
    assert report.counts["updated"] == 1
    current = coordinator.get_interview(reopened.instance_id)
    assert "Casa Maya II" in current.xml and current.revision == 2
    assert {r.instance_id for r in coordinator.revisions("uuid:c1")} >= {"uuid:c1",
                                                                        reopened.instance_id}
    # the older file merged afterwards changes nothing
    assert merge_files(coordinator, [tmp_path / "v1.xlsx"]).counts["unchanged"] == 1


def test_merge_in_small_batches_gives_the_same_store(laptop, store_factory, tmp_path,
                                                   monkeypatch):
    from fieldsurvey.exchange import merge_batch

    for i in range(5):
        add_interview(laptop, orgs_instance(f"uuid:s{i}", org=f"Org {i}"))
    export_workbook(laptop, "orgs", tmp_path / "v1.xlsx")
    reopened = laptop.reopen("uuid:s3")
    laptop.finalize(reopened.instance_id, reopened.xml.replace("Org 3", "Org three"))
    add_interview(laptop, orgs_instance("uuid:s5"))
    export_workbook(laptop, "orgs", tmp_path / "v2.xlsx")
    monkeypatch.setattr(merge_batch, "BATCH_SIZE", 2)  # batches end inside each file
    coordinator = store_factory("coordinator")
    first = merge_files(coordinator, [tmp_path / "v1.xlsx", tmp_path / "v2.xlsx"])
    assert [f.counts for f in first.files] == [
        {"new": 5, "updated": 0, "unchanged": 0, "conflicting": 0, "rejected": 0},
        {"new": 1, "updated": 1, "unchanged": 4, "conflicting": 0, "rejected": 0},
    ]
    # (the laptop marks interviews exported after the export, so statuses differ)
    def answers(store):
        return {k: (xml, revision) for k, (xml, _status, revision) in _snapshot(store).items()}

    assert answers(coordinator) == answers(laptop)
    again = merge_files(coordinator, [tmp_path / "v2.xlsx", tmp_path / "v1.xlsx"])
    assert again.counts["unchanged"] == 11 and answers(coordinator) == answers(laptop)


def test_two_laptops_changing_the_same_interview_conflict(laptop, store_factory, tmp_path):
    add_interview(laptop, orgs_instance("uuid:k1"))
    export_workbook(laptop, "orgs", tmp_path / "base.xlsx")
    other = store_factory("other")
    merge_files(other, [tmp_path / "base.xlsx"])
    for store, name, out in ((laptop, "North", "a.xlsx"), (other, "South", "b.xlsx")):
        rec = store.reopen("uuid:k1")
        store.finalize(rec.instance_id, rec.xml.replace("Casa Maya", name))
        export_workbook(store, "orgs", tmp_path / out)
    coordinator = store_factory("coordinator")
    report = merge_files(coordinator, [tmp_path / "a.xlsx", tmp_path / "b.xlsx"],
                         report_path=tmp_path / "report.xlsx")
    assert report.counts["conflicting"] == 1
    (conflict,) = report.conflicts
    assert conflict.base_revision == 1
    assert [(d.field, d.local, d.incoming) for d in conflict.differences] == [
        ("/data/org", "North", "South")]
    assert len(coordinator.revisions("uuid:k1")) == 3  # base and both sides kept
    assert (tmp_path / "report.xlsx").exists()
    export_workbook(coordinator, "orgs", tmp_path / "merged.xlsx")
    from fieldsurvey.exchange.workbook_io import XlsxReader

    with XlsxReader(tmp_path / "merged.xlsx") as reader:
        rows = [v for _, v in reader.iter_rows("merge_report")]
    assert rows[0][:6] == ["interview_key", "interview", "field", "column", "local_value",
                           "incoming_value"]
    assert rows[1][:6] == ["uuid:k1", None, "/data/org", "org", "North", "South"]
    # merging both again adds nothing
    assert merge_files(coordinator, [tmp_path / "a.xlsx", tmp_path / "b.xlsx"]).conflicts == []


def test_duplicates_on_business_keys_are_reported(laptop, store_factory, tmp_path):
    add_interview(laptop, orgs_instance("uuid:d1", org="Casa Maya"))
    add_interview(laptop, orgs_instance("uuid:d2", org="casa maya"))
    add_interview(laptop, orgs_instance("uuid:d3", org="Otra"))
    export_workbook(laptop, "orgs", tmp_path / "a.xlsx")
    report = merge_files(store_factory("c"), [tmp_path / "a.xlsx"], duplicate_keys=["org"])
    assert [d.interview_keys for d in report.duplicates] == [["uuid:d1", "uuid:d2"]]


@pytest.mark.parametrize("case", ["tampered", "wrong_type", "truncated", "not_xlsx",
                                  "foreign", "clash"])
def test_bad_files_are_rejected_and_change_nothing(case, laptop, store_factory, tmp_path):
    add_interview(laptop, orgs_instance("uuid:b1"))
    good = tmp_path / "good.xlsx"
    export_workbook(laptop, "orgs", good)
    coordinator = store_factory("coordinator")
    if case == "clash":
        other = xform_from_md(SURVEY_MD.format(version="2").replace("Organization ", "Org "))
        install_xform(coordinator, other, tmp_path)
    bad = tmp_path / "bad.xlsx"
    if case == "tampered":
        rewrite_package_sheet(good, bad, lambda d: d.replace(b"Casa Maya", b"Casa Mayo"))
    elif case == "wrong_type":
        rewrite_package_sheet(good, bad, lambda d: d.replace(b'"><v>1</v>', b'" t="inlineStr"><is><t>one</t></is>', 1))
    elif case == "truncated":
        bad.write_bytes(good.read_bytes()[:-200])
    elif case == "not_xlsx":
        bad.write_text("name,age\nx,1\n")
    elif case == "foreign":
        import openpyxl

        wb = openpyxl.Workbook()
        wb.active.append(["SubmissionDate", "KEY"])
        wb.save(bad)
    else:
        bad = good
    before = _snapshot(coordinator)
    forms_before = len(coordinator.list_forms(all_versions=True))
    report: MergeReport = merge_files(coordinator, [bad])
    (result,) = report.files
    assert result.error is not None, case
    assert result.error.path == str(bad)
    if case in ("tampered", "wrong_type", "clash"):
        assert result.error.sheet == "_fieldsurvey" and result.error.row is not None
    assert _snapshot(coordinator) == before
    assert len(coordinator.list_forms(all_versions=True)) == forms_before


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.lists(
        st.tuples(
            st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),
            st.integers(-10**9, 10**9),
            st.lists(st.sampled_from(["health", "culture", "remit"]), unique=True),
            st.lists(st.tuples(st.text(alphabet="abc =+-@", max_size=8),
                               st.lists(st.text(alphabet="xyz", max_size=4), max_size=2)),
                     max_size=3),
        ),
        min_size=1, max_size=4,
    ),
    preset=st.sampled_from(["central", "central-csv", "kobo"]),
    labels=st.sampled_from([None, "en", "es"]),
)
def test_round_trip_property(store_factory, tmp_path_factory, data, preset, labels):
    from xml.sax.saxutils import escape

    tmp = tmp_path_factory.mktemp("rt")
    laptop = store_factory(f"{tmp.name}-l")
    install_xform(laptop, xform_from_md(SURVEY_MD.format(version="2")), tmp)
    for i, (org, members, topics, projects) in enumerate(data):
        add_interview(laptop, orgs_instance(
            f"uuid:p{i}", org=escape(org), members=str(members), topics=" ".join(topics),
            projects=[(escape(p), "1", [escape(n) for n in partners]) for p, partners in projects],
        ), finalize=i % 2 == 0)
    out = tmp / ("a.zip" if preset == "central-csv" else "a.xlsx")
    # Drafts too (asked for): every interview must come back exactly.
    export_workbook(laptop, "orgs", out, preset=preset, labels=labels, mark_exported=False,
                    include_drafts=True)
    coordinator = store_factory(f"{tmp.name}-c")
    report = merge_files(coordinator, [out])
    assert report.counts["new"] == len(data), report.as_dict()
    for iid, (xml, status, revision) in _snapshot(laptop).items():
        got = coordinator.get_interview(iid)
        assert canonicalize(got.xml) == canonicalize(xml)
        assert (got.status, got.revision) == (status, revision)


def _corrected_on_two_laptops(laptop, store_factory, tmp_path, edits):
    """uuid:k1 handed to a second laptop, then corrected on both: ``edits`` gives each
    laptop's (old, new) text replacements. Returns the two export files."""
    add_interview(laptop, orgs_instance("uuid:k1"))
    export_workbook(laptop, "orgs", tmp_path / "base.xlsx")
    other = store_factory("other")
    merge_files(other, [tmp_path / "base.xlsx"])
    files = []
    for store, changes, out in ((laptop, edits[0], "a.xlsx"), (other, edits[1], "b.xlsx")):
        rec = store.reopen("uuid:k1")
        xml = rec.xml
        for old, new in changes:
            xml = xml.replace(old, new)
        store.finalize(rec.instance_id, xml, display_name="Casa Maya (Xela)")
        export_workbook(store, "orgs", tmp_path / out)
        files.append(tmp_path / out)
    return files


def test_the_same_correction_on_two_laptops_converges(laptop, store_factory, tmp_path):
    same = [("<members>12", "<members>15"), ("+502 555", "+502 556")]
    a, b = _corrected_on_two_laptops(laptop, store_factory, tmp_path, [same, same])
    currents = []
    for name, files in (("c1", [a, b]), ("c2", [b, a])):
        coordinator = store_factory(name)
        report = merge_files(coordinator, files)
        assert report.conflicts == [] and report.counts["conflicting"] == 0
        (row,) = coordinator.list_interviews(form_id="orgs")
        currents.append(row.instance_id)
        assert len(coordinator.revisions("uuid:k1")) == 3  # both kept all the same
        exported = export_workbook(coordinator, "orgs", tmp_path / f"{name}.xlsx")
        assert exported.conflicts == 0
        book = openpyxl.load_workbook(tmp_path / f"{name}.xlsx", read_only=True)
        assert "merge_report" not in book.sheetnames
    assert currents[0] == currents[1]  # whatever the order of the files


def test_a_correction_made_on_top_of_a_converged_one_is_no_conflict(laptop, store_factory,
                                                                    tmp_path):
    same = [("<members>12", "<members>15")]
    a, b = _corrected_on_two_laptops(laptop, store_factory, tmp_path, [same, same])
    rec = laptop.reopen(laptop.list_interviews()[0].instance_id)
    laptop.finalize(rec.instance_id, rec.xml.replace("Casa Maya", "Casa Maya II"))
    export_workbook(laptop, "orgs", tmp_path / "a2.xlsx")
    for n, order in enumerate(([b, a, tmp_path / "a2.xlsx"], [a, b, tmp_path / "a2.xlsx"])):
        coordinator = store_factory(f"coordinator{n}")
        report = merge_files(coordinator, order)
        assert report.conflicts == [], order
        (row,) = coordinator.list_interviews(form_id="orgs")
        assert row.instance_id == rec.instance_id


def test_conflicts_name_the_interview_and_the_export_column(laptop, store_factory, tmp_path,
                                                            capsys):
    from fieldsurvey.cli.main import main
    from fieldsurvey.exchange.workbook_io import XlsxReader

    a, b = _corrected_on_two_laptops(laptop, store_factory, tmp_path, [
        [("+502 555", "+502 111"), ("<amount>300", "<amount>310")],
        [("+502 555", "+502 222"), ("<amount>300", "<amount>320")],
    ])
    coordinator = store_factory("coordinator")
    report = merge_files(coordinator, [a, b], report_path=tmp_path / "report.xlsx")
    (conflict,) = report.conflicts
    assert conflict.display_name == "Casa Maya (Xela)"
    assert [(d.field, d.column) for d in conflict.differences] == [
        ("/data/contact/phone", "contact-phone"), ("/data/project[1]/money/amount",
                                                   "money-amount")]
    data = report.as_dict()["conflicts"][0]
    assert data["display_name"] == "Casa Maya (Xela)"
    assert data["differences"][0]["column"] == "contact-phone"
    with XlsxReader(tmp_path / "report.xlsx") as reader:
        rows = [v for _, v in reader.iter_rows("conflicts")]
    assert rows[1][:4] == ["uuid:k1", "Casa Maya (Xela)", "/data/contact/phone",
                           "contact-phone"]
    export = export_workbook(coordinator, "orgs", tmp_path / "merged.xlsx")
    assert export.conflicts == 1  # one conflict, two differing fields
    with XlsxReader(tmp_path / "merged.xlsx") as reader:
        rows = [v for _, v in reader.iter_rows("merge_report")]
    assert [r[:4] for r in rows[1:]] == [
        ["uuid:k1", "Casa Maya (Xela)", "/data/contact/phone", "contact-phone"],
        ["uuid:k1", "Casa Maya (Xela)", "/data/project[1]/money/amount", "money-amount"]]
    # The command line (into the default data folder) says the same.
    assert main(["merge", str(a), str(b)]) == 0
    assert ("Conflict on interview Casa Maya (Xela) (uuid:k1): 2 fields differ: "
            "contact-phone, money-amount.") in capsys.readouterr().out


REQUIRED_MD = """
| survey |          |      |       |          |            |
|        | type     | name | label | required | constraint |
|        | text     | org  | Organization | yes |         |
|        | integer  | members | Members | yes | . < 10000  |
| settings |        |      |       |          |            |
|        | form_id  | version | form_title |   |            |
|        | req      | 1    | Required |        |            |
"""


def _req_instance(instance_id: str, org: str = "", members: str = "") -> str:
    return (f'<data xmlns:orx="http://openrosa.org/xforms" id="req" version="1">'
            f"<org>{org}</org><members>{members}</members>"
            f"<meta><instanceID>{instance_id}</instanceID></meta></data>")


def test_merged_drafts_get_their_open_problems_counted(store_factory, tmp_path):
    # A laptop that never stored the counts (its export says 0 for every draft).
    laptop = store_factory("laptop")
    install_xform(laptop, xform_from_md(REQUIRED_MD), tmp_path)
    add_interview(laptop, _req_instance("uuid:empty"), finalize=False)
    add_interview(laptop, _req_instance("uuid:big", "Casa Maya", "20000"), finalize=False)
    add_interview(laptop, _req_instance("uuid:done", "Club", "12"))
    export_workbook(laptop, "req", tmp_path / "a.xlsx", include_drafts=True,
                    mark_exported=False)
    coordinator = store_factory("coordinator")
    assert merge_files(coordinator, [tmp_path / "a.xlsx"]).counts["new"] == 3
    counts = {s.instance_id: s.error_count for s in coordinator.list_interviews()}
    # Two required answers missing; one answer out of its range; none.
    assert counts == {"uuid:empty": 2, "uuid:big": 1, "uuid:done": 0}
    # The draft answered further on the laptop: the count follows when merged again.
    laptop.save_answer("uuid:empty", _req_instance("uuid:empty", "Red Maya"))
    export_workbook(laptop, "req", tmp_path / "b.xlsx", include_drafts=True,
                    mark_exported=False)
    assert merge_files(coordinator, [tmp_path / "b.xlsx"]).counts["updated"] == 1
    assert coordinator.get_interview("uuid:empty").error_count == 1
