"""Names a merged file carries (attachment names and checksums, archive members, form
ids) never choose where anything is written."""

from __future__ import annotations

import zipfile

from sqlalchemy import update

from fieldsurvey.exchange.export import export_workbook
from fieldsurvey.exchange.importer import merge_files
from fieldsurvey.store.models import AttachmentRow

from .samples import SURVEY_MD, add_interview, install_xform, orgs_instance, xform_from_md


def _laptop_with_a_photo(store_factory, tmp_path, name):
    """A laptop whose interview names its photo ``name`` (as an older or altered copy of
    the program could have stored it)."""
    laptop = store_factory("laptop")
    install_xform(laptop, xform_from_md(SURVEY_MD.format(version="2")), tmp_path)
    add_interview(laptop, orgs_instance("uuid:a1"))
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8 a photo")
    laptop.add_attachment("uuid:a1", photo, filename="photo.jpg")
    with laptop.transaction() as session:
        session.execute(update(AttachmentRow).values(filename=name))
    return laptop, photo


def test_an_attachment_name_that_is_a_path_is_not_merged_and_is_reported(
        store_factory, tmp_path):
    laptop, photo = _laptop_with_a_photo(store_factory, tmp_path, "../../x.jpg")
    out = tmp_path / "a.xlsx"
    export_workbook(laptop, "orgs", out, mark_exported=False)
    coordinator = store_factory("coordinator")
    # The photo's content is there already: only the name stands in the way.
    coordinator_photo = coordinator.attachment_path(laptop.attachments("uuid:a1")[0][1])
    coordinator_photo.parent.mkdir(parents=True)
    coordinator_photo.write_bytes(photo.read_bytes())
    report = merge_files(coordinator, [out])
    assert report.counts["new"] == 1
    assert coordinator.attachments("uuid:a1") == []
    warnings = [w.english() for w in report.warnings]
    assert any("The attachment '../../x.jpg' of interview uuid:a1 was not merged" in w
               for w in warnings), warnings
    assert not list(tmp_path.rglob("x.jpg"))


def test_a_safe_attachment_name_is_merged(store_factory, tmp_path):
    laptop, photo = _laptop_with_a_photo(store_factory, tmp_path, "photo-1.jpg")
    out = tmp_path / "a.xlsx"
    export_workbook(laptop, "orgs", out, mark_exported=False)
    coordinator = store_factory("coordinator")
    sha = laptop.attachments("uuid:a1")[0][1]
    coordinator.attachment_path(sha).parent.mkdir(parents=True)
    coordinator.attachment_path(sha).write_bytes(photo.read_bytes())
    merge_files(coordinator, [out])
    assert [(n, s) for n, s, _p in coordinator.attachments("uuid:a1")] == [("photo-1.jpg", sha)]


def test_members_with_dots_in_a_csv_zip_are_never_extracted(store_factory, tmp_path):
    laptop = store_factory("laptop")
    install_xform(laptop, xform_from_md(SURVEY_MD.format(version="2")), tmp_path)
    add_interview(laptop, orgs_instance("uuid:z1"))
    good = tmp_path / "good.zip"
    export_workbook(laptop, "orgs", good, preset="central-csv", mark_exported=False)
    bad = tmp_path / "work" / "bad.zip"
    bad.parent.mkdir()
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        zout.writestr("../../evil.csv", "a,b\n1,2\n")
        zout.writestr("..\\..\\evil2.csv", "a,b\n1,2\n")
    coordinator = store_factory("coordinator")
    report = merge_files(coordinator, [bad])
    assert report.counts["new"] == 1, report.as_dict()
    assert coordinator.get_interview("uuid:z1") is not None
    assert not list(tmp_path.parent.rglob("evil*.csv"))
