"""Generated interviews of the bundled questionnaire, in a data folder or on simulated laptops.

Every interview is made through the engine (see :mod:`fieldsurvey.demo.filler`) and stored
through the store's ordinary lifecycle (create, finalize, reopen). Simulated laptops each
have their own temporary store, device id and researcher, and end as one export file each
(ODK Central layout). Some finalized interviews are handed to another laptop, reopened
there and corrected; some are corrected from the same revision on two laptops, so that
merging the exports meets real conflicts. The same seed gives the same interviews.
"""

from __future__ import annotations

import random
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from fieldsurvey.demo import content
from fieldsurvey.demo.filler import InterviewFiller
from fieldsurvey.errors import CancelledError
from fieldsurvey.exchange.merge_report import differences
from fieldsurvey.forms import FormDefinition, FormSession, LoadedForm, load_form
from fieldsurvey.i18n import N_
from fieldsurvey.paths import DataDir
from fieldsurvey.resources import bundled_forms_dir
from fieldsurvey.store import InterviewStatus, Store, open_store

FORM_ID = "diaspora_organizations"
#: The fieldwork period the interview dates fall in.
FIELDWORK_START = date(2026, 3, 2)
FIELDWORK_DAYS = 150
REFUSAL_RATE = 0.05
DRAFT_RATE = 0.04
#: Share of finalized interviews corrected later, and share of those corrected twice.
CORRECTION_RATE = 0.15
CONFLICT_SHARE = 0.35

Progress = Callable[[int, int], None] | None
Cancel = Callable[[], bool] | None


@dataclass
class LaptopReport:
    """What one simulated laptop (or the data folder) holds after the demo."""

    device_id: str
    enumerator: str
    interviews: int = 0
    finalized: int = 0
    drafts: int = 0
    refused: int = 0
    corrections: int = 0
    file: Path | None = None
    #: Interviews the export file holds: those made here and those handed over to this
    #: laptop from others (``interviews`` counts only the first).
    in_file: int = 0

    def as_dict(self) -> dict:
        return {
            "device_id": self.device_id,
            "enumerator": self.enumerator,
            "interviews": self.interviews,
            "in_file": self.in_file,
            "finalized": self.finalized,
            "drafts": self.drafts,
            "refused": self.refused,
            "corrections": self.corrections,
            "file": str(self.file) if self.file else None,
        }


@dataclass
class DemoReport:
    """Counts of a demo run; ``conflicts`` are interviews corrected differently on two
    laptops (the same correction on both is no conflict: a merge converges)."""

    form_id: str
    interviews: int = 0
    corrections: int = 0
    conflicts: int = 0
    laptops: list[LaptopReport] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "form_id": self.form_id,
            "interviews": self.interviews,
            "finalized": sum(lap.finalized for lap in self.laptops),
            "drafts": sum(lap.drafts for lap in self.laptops),
            "refused": sum(lap.refused for lap in self.laptops),
            "corrections": self.corrections,
            "conflicts": self.conflicts,
            "laptops": [lap.as_dict() for lap in self.laptops],
        }


@dataclass
class _Laptop:
    store: Store
    report: LaptopReport
    definition: FormDefinition
    version: str | None
    finalized: list[tuple[str, str]] = field(default_factory=list)  # (instance_id, xml)


def _utc_offset(city: str) -> timezone:
    return timezone(timedelta(hours=content.UTC_OFFSETS.get(city, -6)))


def _make_interview(lap: _Laptop, rng: random.Random, *, draft: bool) -> None:
    """One interview from first answer to finalize (or a draft left half done)."""
    day = FIELDWORK_START + timedelta(days=rng.randrange(FIELDWORK_DAYS))
    org = content.make_organization(rng, day.year)
    start = datetime.combine(day, time(rng.randint(9, 18), rng.randrange(0, 60, 5)),
                             _utc_offset(org.city))  # fmt: skip
    session = FormSession(lap.definition, now=start, device_id=lap.report.device_id,
                          username=lap.report.enumerator, seed=rng.getrandbits(64))  # fmt: skip
    consent = rng.random() >= REFUSAL_RATE
    filler = InterviewFiller(session, rng, org, researcher=lap.report.enumerator,
                             interview_date=day, consent=consent,
                             stop_after=rng.randint(8, 40) if draft else None)  # fmt: skip
    filler.fill()
    session.now = start + timedelta(minutes=rng.randint(25, 75) if consent else 4)
    store, report = lap.store, lap.report
    record = store.create_interview(
        lap.definition.form_id, lap.version, session.to_xml(),
        enumerator=report.enumerator, device_id=report.device_id,
        display_name=session.display_name(),
    )  # fmt: skip
    report.interviews += 1
    if draft:
        # What the interview screen stores when a researcher leaves a draft.
        store.set_error_count(record.instance_id, len(session.validate()))
        report.drafts += 1
        return
    session.finalize_preloads()
    # What Collect would submit: a skipped section (its repeat instances too) left out.
    xml = session.to_xml(submission=True)
    store.finalize(record.instance_id, xml, error_count=len(session.validate()))
    report.finalized += 1
    if consent:
        lap.finalized.append((record.instance_id, xml))
    else:
        report.refused += 1


def _edits(session: FormSession, rng: random.Random) -> list[str]:
    """The answers a correction changes: one or two counts or amounts already given."""
    numeric = [
        state.path
        for state in session.nodes()
        if state.relevant and state.value and not state.readonly
        and _item_type(session, state.path) in ("integer", "decimal")
        and not state.path.endswith(("year_founded", "project_year"))
    ]  # fmt: skip
    return rng.sample(numeric, k=min(len(numeric), rng.randint(1, 2)))


def _item_type(session: FormSession, path: str) -> str:
    template = "/".join(step.split("[")[0] for step in path.split("/"))
    return session.definition.item(template).type


def _correct(lap: _Laptop, instance_id: str, paths: list[str], rng: random.Random) -> str:
    """Reopen an interview on this laptop, change ``paths`` and finalize it again."""
    record = lap.store.reopen(instance_id, user=lap.report.enumerator)
    session = FormSession.from_xml(lap.definition, record.xml, device_id=lap.report.device_id,
                                   username=lap.report.enumerator)  # fmt: skip
    for path in paths:
        old = session.state(path).value
        for _attempt in range(5):
            factor = rng.choice((0.8, 0.9, 1.1, 1.25, 1.5))
            new = round(float(old) * factor)
            if _item_type(session, path) == "integer":
                new = str(max(0, int(new)))
            session.set_answer(path, new)
            if session.state(path).valid and not session.validate():
                break
            session.set_answer(path, old)
    note = f"/{lap.definition.root_name}/contact/observations"
    if lap.definition.form_id == FORM_ID and session.state(note).relevant:
        session.set_answer(note, "Cifras corregidas tras revisión con la organización.")
    lap.store.save_answer(record.instance_id,
                          _keep_deprecated_id(session.to_xml(), record.deprecated_id))
    xml = _keep_deprecated_id(session.to_xml(submission=True), record.deprecated_id)
    lap.store.finalize(record.instance_id, xml, error_count=len(session.validate()))
    lap.report.corrections += 1
    return xml


def _keep_deprecated_id(xml: str, deprecated_id: str | None) -> str:
    """Put ``meta/deprecatedID`` back when the serialized instance lost it."""
    if not deprecated_id or "<deprecatedID>" in xml:
        return xml
    return xml.replace("</instanceID>", f"</instanceID><deprecatedID>{deprecated_id}</deprecatedID>", 1)


def _hand_over(source: _Laptop, target: _Laptop, xml: str) -> None:
    """The interview reaches another laptop (as a merged export would bring it)."""
    with target.store.transaction() as session:
        target.store.import_revision(
            session, xml, status=InterviewStatus.FINALIZED, enumerator=source.report.enumerator,
            device_id=source.report.device_id, source="demo",
        )  # fmt: skip


def _check_cancel(cancel: Cancel) -> None:
    if cancel is not None and cancel():
        raise CancelledError(N_("The demo data generation was cancelled."))


def _open_laptop(store: Store, rng: random.Random, number: int, form_id: str,
                 loaded: LoadedForm | None = None) -> _Laptop:  # fmt: skip
    if loaded is None:
        store.install_bundled_forms()
    else:
        store.install_form(loaded)
    installed = store.get_form(form_id)
    report = LaptopReport(device_id=f"fieldsurvey:{rng.getrandbits(64):016x}",
                          enumerator=f"Encuestador/a {number:02d}")  # fmt: skip
    return _Laptop(store, report, store.form_definition(form_id, installed.version),
                   installed.version)  # fmt: skip


def _fill_laptops(laptops: list[_Laptop], interviews: int, rng: random.Random,
                  report: DemoReport, progress: Progress, cancel: Cancel) -> None:  # fmt: skip
    extra = round(interviews * CORRECTION_RATE) + 1
    total = interviews + extra
    for number in range(interviews):
        _check_cancel(cancel)
        lap = laptops[rng.randrange(len(laptops))] if len(laptops) > 1 else laptops[0]
        _make_interview(lap, rng, draft=rng.random() < DRAFT_RATE)
        report.interviews += 1
        if progress:
            progress(number + 1, total)
    done = interviews
    count = len(laptops)
    candidates = [(index, item) for index, lap in enumerate(laptops) for item in lap.finalized]
    corrected = rng.sample(candidates, k=round(len(candidates) * CORRECTION_RATE))
    wanted_conflicts = round(len(corrected) * CONFLICT_SHARE) if count > 1 else 0
    if count > 1 and corrected and not wanted_conflicts:
        wanted_conflicts = 1  # a merge trial should always meet at least one conflict
    for number, (index, (instance_id, xml)) in enumerate(corrected):
        _check_cancel(cancel)
        lap = laptops[index]
        paths = _edits(FormSession.from_xml(lap.definition, xml), rng)
        if not paths:
            continue
        first = laptops[(index + 1) % count]
        if first is not lap:
            _hand_over(lap, first, xml)
        first_xml = _correct(first, instance_id, paths, rng)
        report.corrections += 1
        if number < wanted_conflicts:
            # the same revision corrected on a second laptop too: a conflict, unless
            # both happened to give the same answers (a merge converges on those)
            second = laptops[(index + 2) % count]
            if second is not lap:
                _hand_over(lap, second, xml)
            second_xml = _correct(second, instance_id, paths, rng)
            report.corrections += 1
            if differences(ET.fromstring(first_xml), ET.fromstring(second_xml)):
                report.conflicts += 1
        done += 1
        if progress:
            progress(min(done, total), total)


def generate_into_store(store: Store, interviews: int, *, seed: int = 0,
                        form_id: str = FORM_ID, progress: Progress = None,
                        cancel: Cancel = None) -> DemoReport:  # fmt: skip
    """Add ``interviews`` generated interviews of ``form_id`` to this store, as one laptop
    with one researcher; a few are reopened and corrected afterwards."""
    rng = random.Random(seed)
    report = DemoReport(form_id=form_id)
    lap = _open_laptop(store, rng, 1, form_id)
    report.laptops.append(lap.report)
    # One commit for the lot: a commit per answer is for people typing, and here it would
    # write the database many times over. The store backs the lot up at close.
    with store.batch():
        _fill_laptops([lap], interviews, rng, report, progress, cancel)
    return report


def simulate_laptops(interviews: int, laptops: int, out_dir: str | Path, *, seed: int = 0,
                     form_id: str = FORM_ID, progress: Progress = None,
                     cancel: Cancel = None) -> DemoReport:  # fmt: skip
    """Spread ``interviews`` over ``laptops`` simulated laptops and write one export per
    laptop (ODK Central layout) into ``out_dir``."""
    from fieldsurvey.exchange.export import export_workbook

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    report = DemoReport(form_id=form_id)
    # Converted once, installed on every laptop (as the same file would be).
    loaded = load_form(bundled_forms_dir() / f"{form_id}.xlsx")
    with tempfile.TemporaryDirectory(prefix="fieldsurvey-demo-") as work:
        opened: list[_Laptop] = []
        try:
            for number in range(1, laptops + 1):
                data_dir = DataDir.resolve(Path(work) / f"laptop{number:02d}")
                # Thrown away at the end: the export files are what the laptops leave.
                store = open_store(data_dir, backup_on_start=False, automatic_backups=False)
                opened.append(_open_laptop(store, rng, number, form_id, loaded))
                report.laptops.append(opened[-1].report)
            with ExitStack() as batches:
                for lap in opened:
                    batches.enter_context(lap.store.batch())
                _fill_laptops(opened, interviews, rng, report, progress, cancel)
            for number, lap in enumerate(opened, start=1):
                _check_cancel(cancel)
                target = out / f"{form_id}-laptop{number:02d}.xlsx"
                # Everything the laptop holds, drafts too: a merge trial meets them.
                exported = export_workbook(lap.store, form_id, target, preset="central",
                                           include_drafts=True)
                lap.report.file = target
                lap.report.in_file = exported.interviews
        finally:
            for lap in opened:
                lap.store.close()
    return report
