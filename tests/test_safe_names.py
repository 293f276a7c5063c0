"""Names from outside never choose where a file is written: form ids, versions, media
files, attachments, archive members."""

from __future__ import annotations

import json
import os

import pytest

from fieldsurvey.cli.main import main
from fieldsurvey.errors import FieldSurveyError, StoreError
from fieldsurvey.safe_names import (
    ARCHIVE_MEMBER,
    ATTACHMENT,
    MEDIA_FILE,
    check_form_id,
    check_name,
    check_version,
    path_inside,
    safe_label,
)

XFORM = (
    '<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">'
    "<h:head><h:title>T</h:title><model><instance>"
    '<data id="{form_id}" version="{version}"><q/><meta><instanceID/></meta></data>'
    '</instance><bind nodeset="/data/q" type="string"/></model></h:head>'
    '<h:body><input ref="/data/q"><label>Q</label></input></h:body></h:html>'
)

UNSAFE = [
    ("", "empty"),
    ("../x.csv", "folder separator"),
    ("..\\x.csv", "folder separator"),
    ("/etc/passwd", "folder separator"),
    ("C:x.csv", "Windows does not allow"),
    ("..", "two dots"),
    ("a\x00b.jpg", "control character"),
    ("a\nb.jpg", "control character"),
    ("CON", "device"),
    ("nul.txt", "device"),
    ("Com1.jpg", "device"),
    ("lpt9", "device"),
    ("photo.jpg.", "ends with a dot"),
    ("photo.jpg ", "ends with a dot or a space"),
    ("x" * 252 + ".jpg", "longer than 255"),
    ("é" * 128, "longer than 255"),
]


@pytest.mark.parametrize(("name", "reason"), UNSAFE)
def test_an_unsafe_name_is_refused_with_what_it_is_and_why(name, reason):
    with pytest.raises(FieldSurveyError) as caught:
        check_name(name, ATTACHMENT)
    text = caught.value.english()
    assert caught.value.code == "unsafe_name"
    assert text.startswith(f"The attachment {name!r} cannot be used: ")
    assert reason in text


@pytest.mark.parametrize("name", ["photo.jpg", "villages.csv", "IMG 0001.JPG", "données.xml",
                                  "a.b.c", "console.txt", "COM10", "x" * 255])
def test_ordinary_file_names_pass(name, tmp_path):
    assert check_name(name, MEDIA_FILE) == name
    assert path_inside(tmp_path, name, MEDIA_FILE) == tmp_path / name


def test_a_link_inside_the_folder_that_points_out_is_refused(tmp_path):
    folder = tmp_path / "media"
    folder.mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_text("x")
    try:
        (folder / "link.txt").symlink_to(outside)
    except OSError:
        pytest.skip("this system cannot make symbolic links")
    with pytest.raises(FieldSurveyError, match="leads outside its folder"):
        path_inside(folder, "link.txt", ARCHIVE_MEMBER)


def test_the_error_class_and_context_are_the_callers(tmp_path):
    with pytest.raises(StoreError) as caught:
        path_inside(tmp_path, "../x", MEDIA_FILE, error=StoreError, path="form.xlsx")
    assert caught.value.path == "form.xlsx"
    assert caught.value.english().startswith("form.xlsx: The media file '../x' cannot be used")


@pytest.mark.parametrize("form_id", ["../../../x", "a/b", "a\\b", "..", "", "a\tb"])
def test_a_form_id_that_could_leave_a_folder_is_refused(form_id):
    with pytest.raises(FieldSurveyError, match="The form id .* cannot be used"):
        check_form_id(form_id)


@pytest.mark.parametrize("form_id", ["household", "Spec test", "CON", "enquête_2024", "a:b"])
def test_other_form_ids_are_kept_as_odk_takes_them(form_id):
    assert check_form_id(form_id) == form_id


def test_a_version_may_be_any_text_but_not_a_path():
    assert check_version("2024010101") == "2024010101"
    assert check_version("1.0[encrypted:Xy9z]") == "1.0[encrypted:Xy9z]"
    assert check_version(None) is None
    with pytest.raises(FieldSurveyError, match="The form version '1/../2' cannot be used"):
        check_version("1/../2")


@pytest.mark.parametrize("text", ["../../../x", "a b", "CON", "com1.txt", "..", "", "...",
                                  "a/b\\c:d", "x" * 300, "é" * 200, "1.0[encrypted:X]"])
def test_a_label_is_always_a_safe_name(text, tmp_path):
    label = safe_label(text)
    assert check_name(label, MEDIA_FILE) == label
    assert path_inside(tmp_path, label, MEDIA_FILE).parent == tmp_path


def test_ordinary_labels_are_unchanged():
    assert [safe_label(t) for t in ("household", "2024010101", "v1.2-beta+3")] == [
        "household", "2024010101", "v1.2-beta+3"]
    assert safe_label("CON") == "_CON"


def _files_outside(root, data):
    """Every file under ``root`` that is not in the data folder ``data``."""
    found = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            if not path.startswith(str(data)):
                found.append(path)
    return sorted(found)


@pytest.mark.parametrize("form_id", ["../../../x", "..\\..\\x", "a/b"])
def test_an_xform_whose_id_is_a_path_is_refused_by_check_and_install(form_id, tmp_path,
                                                                      capsys):
    from xml.sax.saxutils import quoteattr

    form = tmp_path / "forms" / "f.xml"
    form.parent.mkdir()
    form.write_text(XFORM.replace('"{form_id}"', quoteattr(form_id)).format(version="1"))
    before = _files_outside(tmp_path, tmp_path / "fieldsurvey-data")
    assert main(["form", "check", "--json", str(form)]) == 1
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "unsafe_name" and repr(form_id) in error["message"]
    assert main(["forms", "install", str(form)]) != 0
    assert "The form id" in capsys.readouterr().err
    assert main(["forms", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert _files_outside(tmp_path, tmp_path / "fieldsurvey-data") == before


@pytest.mark.parametrize("form_id", ["a b", "CON"])
def test_an_xform_with_an_odd_id_installs_with_its_folder_inside_the_data_folder(
        form_id, tmp_path, data_dir):
    from fieldsurvey.store import open_store

    form = tmp_path / "f.xml"
    form.write_text(XFORM.format(form_id=form_id, version="1"))
    with open_store(data_dir) as store:
        result = store.install_form(form)
        assert result.form.form_id == form_id  # the id itself is kept: interviews name it
        folder = store.form_media_dir(form_id, "1")
    assert folder.resolve().is_relative_to(data_dir.forms.resolve())
    assert folder.parent.name != form_id and folder.parent.name.upper() != "CON"


def test_an_attachment_name_that_is_a_path_is_refused_by_the_store(tmp_path, data_dir):
    from fieldsurvey.store import open_store

    form = tmp_path / "f.xml"
    form.write_text(XFORM.format(form_id="household", version="1"))
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8 a photo")
    with open_store(data_dir) as store:
        store.install_form(form)
        xml = ('<data id="household" version="1"><q>../../x.jpg</q>'
               "<meta><instanceID>uuid:a</instanceID></meta></data>")
        store.create_interview("household", "1", xml, enumerator="e", device_id="d")
        with pytest.raises(StoreError, match=r"The attachment '\.\./\.\./x\.jpg' cannot be used"):
            store.add_attachment("uuid:a", photo, filename="../../x.jpg")
        assert store.attachments("uuid:a") == []
        store.add_attachment("uuid:a", photo, filename="photo-1.jpg")
        (name, sha, path), = store.attachments("uuid:a")
        assert path.resolve().is_relative_to(data_dir.attachments.resolve())
        # A checksum is the only part of the path a merged file could name.
        with pytest.raises(StoreError, match="not a SHA-256 checksum"):
            store.attachment_path("../../../../x.jpg")
