"""The exchange tests' sample questionnaire (organizations, in two languages, with nested
repeats) and its interviews, written inline; interviews without a database."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pyxform.xls2xform import convert

SURVEY_MD = """
| survey |                  |            |                |
|        | type             | name       | label::English (en) | label::Español (es) |
|        | text             | org        | Organization   | Organización |
|        | integer          | members    | Members        | Miembros     |
|        | decimal          | budget     | Budget         | Presupuesto  |
|        | date             | founded    | Founded        | Fundada      |
|        | select_one yn    | active     | Active?        | ¿Activa?     |
|        | select_multiple topics | topics | Topics      | Temas        |
|        | geopoint         | place      | Place          | Lugar        |
|        | note             | info       | Thanks         | Gracias      |
|        | begin group      | contact    | Contact        | Contacto     |
|        | text             | phone      | Phone          | Teléfono     |
|        | end group        |            |                |              |
|        | begin repeat     | project    | Project        | Proyecto     |
|        | text             | pname      | Name           | Nombre       |
|        | begin group      | money      | Money          | Dinero       |
|        | integer          | amount     | Amount         | Monto        |
|        | end group        |            |                |              |
|        | begin repeat     | partner    | Partner        | Socio        |
|        | text             | partner_name | Partner      | Socio        |
|        | end repeat       |            |                |              |
|        | end repeat       |            |                |              |
| choices |                 |            |                |              |
|        | list_name        | name       | label::English (en) | label::Español (es) |
|        | yn               | yes        | Yes            | Sí           |
|        | yn               | no         | No             | No           |
|        | topics           | health     | Health         | Salud        |
|        | topics           | culture    | Culture        | Cultura      |
|        | topics           | remit      | Remittances    | Remesas      |
| settings |               |            |                |              |
|        | form_id          | version    | form_title     |              |
|        | orgs             | {version}  | Organizations  |              |
"""


def xform_from_md(md: str) -> str:
    """The XForm pyxform makes from a markdown XLSForm."""
    return convert(xlsform=textwrap.dedent(md), file_type=".md").xform


def parse(xform: str):
    try:
        from fieldsurvey.forms import parse_xform
    except ImportError:  # the engine package does not export it yet
        from fieldsurvey.forms.xform_parser import parse_xform
    return parse_xform(xform)


@dataclass
class FakeRecord:
    instance_id: str
    xml: str
    form_id: str = "orgs"
    form_version: str | None = "2"
    interview_key: str = ""
    status: str = "finalized"
    display_name: str = ""
    enumerator: str | None = "enumerator01"
    device_id: str | None = "dev-1"
    created_at: datetime = field(default_factory=lambda: datetime(2024, 5, 1, 9, tzinfo=UTC))
    modified_at: datetime = field(default_factory=lambda: datetime(2024, 5, 1, 10, tzinfo=UTC))
    finalized_at: datetime | None = field(
        default_factory=lambda: datetime(2024, 5, 1, 10, 30, tzinfo=UTC)
    )
    sent_at: datetime | None = None
    exported_at: datetime | None = None
    revision: int = 1
    deprecated_id: str | None = None
    deleted: bool = False
    error_count: int = 0


def orgs_instance(instance_id: str, *, version: str = "2", org: str = "Casa Maya",
                  members: str = "12", topics: str = "health remit",
                  projects: list[tuple[str, str, list[str]]] | None = None) -> str:
    """An orgs interview as ODK Collect submits it."""
    if projects is None:
        projects = [("School", "300", ["Ayuda"]), ("Clinic", "", [])]
    reps = "".join(
        f"<project><pname>{p}</pname><money><amount>{a}</amount></money>"
        + "".join(f"<partner><partner_name>{n}</partner_name></partner>" for n in partners)
        + "</project>"
        for p, a, partners in projects
    )
    return (
        f'<data xmlns:jr="http://openrosa.org/javarosa" '
        f'xmlns:orx="http://openrosa.org/xforms" id="orgs" version="{version}">'
        f"<org>{org}</org><members>{members}</members><budget>1500.5</budget>"
        f"<founded>2001-03-04</founded><active>yes</active><topics>{topics}</topics>"
        f"<place>14.6 -90.5 1500 5</place><info/><contact><phone>+502 555</phone></contact>"
        f"{reps}<meta><instanceID>{instance_id}</instanceID></meta></data>"
    )


def install_xform(store, xform: str, folder) -> None:
    path = folder / f"form-{abs(hash(xform))}.xml"
    path.write_text(xform, encoding="utf-8")
    store.install_form(path)


def add_interview(store, xml: str, *, finalize: bool = True, enumerator: str = "enumerator01"):
    from fieldsurvey.store.instance_xml import read_meta

    meta = read_meta(xml)
    rec = store.create_interview(meta.form_id, meta.version, xml, enumerator=enumerator,
                                 device_id="dev-1")
    if finalize:
        rec = store.finalize(rec.instance_id, xml)
    return rec


class ExportItemFactory:
    """Interviews as the exporter receives them, without a database."""

    def __init__(self) -> None:
        self.n = 0

    def items(self, count: int, *, version: str = "2", extra: str = ""):
        from fieldsurvey.exchange.export import ExportItem

        out = []
        for _ in range(count):
            self.n += 1
            iid = f"uuid:i{self.n}"
            xml = orgs_instance(iid, version=version)
            if extra:
                xml = xml.replace("<members>", extra + "<members>", 1).replace(
                    "<budget>1500.5</budget>", "")
            out.append(ExportItem(FakeRecord(iid, xml, form_version=version)))
        return out


def rewrite_package_sheet(src, dest, edit) -> None:
    """Copy the export ``src`` to ``dest`` with ``edit(bytes)`` applied to the XML of its
    ``_fieldsurvey`` sheet (the fourth sheet of the sample form's Central export)."""
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet4.xml":
                data = edit(data)
            zout.writestr(info.filename, data)
