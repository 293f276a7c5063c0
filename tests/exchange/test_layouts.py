"""The export presets, column for column against the layouts they copy."""

from __future__ import annotations

import zipfile

import pytest

from fieldsurvey.errors import ExchangeError
from fieldsurvey.exchange.export import FormVersion, write_export
from fieldsurvey.exchange.workbook_io import XlsxReader

from .samples import SURVEY_MD, ExportItemFactory, parse, xform_from_md

CENTRAL_META = ["KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
                "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits",
                "FormVersion"]


@pytest.fixture
def orgs_form():
    xform = xform_from_md(SURVEY_MD.format(version="2"))
    return FormVersion("orgs", "2", "Organizations", xform, parse(xform))


def _sheets(path):
    with XlsxReader(path) as reader:
        return {name: [values for _, values in reader.iter_rows(name)] for name in reader.sheets}


def test_central_layout(tmp_path, orgs_form):
    items = ExportItemFactory().items(2)
    report = write_export(tmp_path / "c.xlsx", forms=[orgs_form], items=items)
    sheets = _sheets(tmp_path / "c.xlsx")
    assert list(sheets) == ["orgs", "project", "partner", "_fieldsurvey"]
    assert sheets["orgs"][0] == [
        "SubmissionDate", "org", "members", "budget", "founded", "active", "topics",
        "place-Latitude", "place-Longitude", "place-Altitude", "place-Accuracy", "info",
        "contact-phone", "meta-instanceID", *CENTRAL_META,
    ]
    first = dict(zip(sheets["orgs"][0], sheets["orgs"][1], strict=False))
    assert first["SubmissionDate"] == "2024-05-01T10:30:00.000Z"
    assert first["members"] == 12 and first["budget"] == 1500.5  # numbers as numbers
    assert first["founded"] == "2001-03-04"
    assert first["place-Latitude"] == 14.6 and first["place-Accuracy"] == 5
    assert first["KEY"] == "uuid:i1" and first["meta-instanceID"] == "uuid:i1"
    assert first["FormVersion"] == "2" and first["Edits"] == 0
    assert sheets["project"][0] == ["pname", "money-amount", "PARENT_KEY", "KEY"]
    assert sheets["project"][1] == ["School", 300, "uuid:i1", "uuid:i1/project[1]"]
    assert sheets["project"][2][2:] == ["uuid:i1", "uuid:i1/project[2]"]
    assert sheets["partner"][0] == ["partner_name", "PARENT_KEY", "KEY"]
    assert sheets["partner"][1] == ["Ayuda", "uuid:i1/project[1]", "uuid:i1/project[1]/partner[1]"]
    assert report.rows == {"orgs": 2, "project": 4, "partner": 2}


def test_central_options_split_multiple_no_groups_labels(tmp_path, orgs_form):
    write_export(tmp_path / "c.xlsx", forms=[orgs_form], items=ExportItemFactory().items(1),
                 split_multiple=True, group_names=False, labels="es")
    sheets = _sheets(tmp_path / "c.xlsx")
    header = sheets["orgs"][0]
    assert header[6:10] == ["topics", "topics/health", "topics/culture", "topics/remit"]
    assert "phone" in header and "instanceID" in header
    row = dict(zip(header, sheets["orgs"][1], strict=False))
    assert row["topics/health"] == 1 and row["topics/culture"] == 0
    assert row["active"] == "Sí" and row["topics"] == "Salud Remesas"
    assert sheets["project"][0][:2] == ["pname", "amount"]


def test_unknown_label_language_is_refused(tmp_path, orgs_form):
    with pytest.raises(ExchangeError):
        write_export(tmp_path / "c.xlsx", forms=[orgs_form], items=[], labels="fr")
    assert not (tmp_path / "c.xlsx").exists()


def test_kobo_layout(tmp_path, orgs_form):
    write_export(tmp_path / "k.xlsx", forms=[orgs_form], items=ExportItemFactory().items(2),
                 preset="kobo")
    sheets = _sheets(tmp_path / "k.xlsx")
    assert list(sheets) == ["Organizations", "project", "partner", "_fieldsurvey"]
    assert sheets["Organizations"][0] == [
        "org", "members", "budget", "founded", "active", "topics", "topics/health",
        "topics/culture", "topics/remit", "place", "_place_latitude", "_place_longitude",
        "_place_altitude", "_place_precision", "contact/phone", "meta/instanceID",
        "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
        "_submitted_by", "__version__", "_tags", "_index",
    ]
    root = dict(zip(sheets["Organizations"][0], sheets["Organizations"][2], strict=False))
    assert root["_uuid"] == "i2" and root["_index"] == 2 and root["_id"] == 2
    assert root["_submission_time"] == "2024-05-01T10:30:00"
    project = sheets["project"]
    assert project[0][:6] == ["project/pname", "project/money/amount", "_index",
                              "_parent_table_name", "_parent_index", "_submission__id"]
    assert "_submission__uuid" in project[0]
    third = dict(zip(project[0], project[3], strict=False))  # first project of interview 2
    assert third["_index"] == 3 and third["_parent_index"] == 2
    assert third["_parent_table_name"] == "Organizations"
    partner = dict(zip(sheets["partner"][0], sheets["partner"][2], strict=False))
    assert partner["_parent_table_name"] == "project" and partner["_parent_index"] == 3


def test_central_csv_zip(tmp_path, orgs_form):
    write_export(tmp_path / "c.zip", forms=[orgs_form], items=ExportItemFactory().items(1),
                 preset="central-csv")
    with zipfile.ZipFile(tmp_path / "c.zip") as archive:
        assert archive.namelist() == ["orgs.csv", "orgs-project.csv", "orgs-partner.csv",
                                      "_fieldsurvey.csv"]
        text = archive.read("orgs-project.csv").decode()
    assert text.splitlines()[0] == "pname,money-amount,PARENT_KEY,KEY"
    assert text.splitlines()[1] == "School,300,uuid:i1,uuid:i1/project[1]"


def test_versions_merge_into_the_union_of_columns(tmp_path, orgs_form):
    old_md = SURVEY_MD.format(version="1").replace(
        "|        | decimal          | budget     | Budget         | Presupuesto  |\n",
        "|        | text             | legacy     | Old            | Viejo        |\n",
    )
    old_xform = xform_from_md(old_md)
    old = FormVersion("orgs", "1", "Organizations", old_xform, parse(old_xform))
    factory = ExportItemFactory()
    items = factory.items(1) + factory.items(1, version="1", extra="<legacy>kept</legacy>")
    write_export(tmp_path / "v.xlsx", forms=[orgs_form, old], items=items)
    header, new_row, old_row = _sheets(tmp_path / "v.xlsx")["orgs"]
    assert header.index("legacy") == header.index("members") + 1  # beside its old neighbour
    new_values = dict(zip(header, new_row, strict=False))
    old_values = dict(zip(header, old_row, strict=False))
    assert new_values.get("legacy") is None and new_values["budget"] == 1500.5
    assert old_values["legacy"] == "kept" and old_values["FormVersion"] == "1"


def test_cancelled_export_leaves_no_file(tmp_path, orgs_form):
    from fieldsurvey.errors import CancelledError

    with pytest.raises(CancelledError):
        write_export(tmp_path / "x.xlsx", forms=[orgs_form], items=ExportItemFactory().items(3),
                     cancel=lambda: True)
    assert list(tmp_path.iterdir()) == []


def test_a_long_form_title_warns_once_naming_both_sheet_names(tmp_path, orgs_form):
    title = "Diaspora organizations of Central America and Mexico"
    orgs_form.title = title
    report = write_export(tmp_path / "k.xlsx", forms=[orgs_form],
                          items=ExportItemFactory().items(1), preset="kobo")
    (warning,) = report.warnings
    assert warning.translated() == (
        f"The sheet name \u201c{title}\u201d is longer than the 31 characters Excel allows; "
        f"the sheet is named \u201c{title[:31]}\u201d.")
    assert list(_sheets(tmp_path / "k.xlsx"))[0] == title[:31]
    # A title that fits, and the repeats' names: no warning at all.
    orgs_form.title = "Organizations"
    report = write_export(tmp_path / "k2.xlsx", forms=[orgs_form],
                          items=ExportItemFactory().items(1), preset="kobo")
    assert report.warnings == []


def test_a_sheet_name_with_characters_excel_refuses_says_so(tmp_path, orgs_form):
    orgs_form.title = "Orgs: 2024/25"
    report = write_export(tmp_path / "k.xlsx", forms=[orgs_form],
                          items=ExportItemFactory().items(1), preset="kobo")
    (warning,) = report.warnings
    assert "holds characters Excel does not allow" in warning.translated()
    assert "\u201cOrgs_ 2024_25\u201d" in warning.translated()
