"""The steps of the self-test and the run that strings them together.

The self-test proves on a field laptop, in a few seconds, that the program as installed works end to
end: the bundled questionnaire loads, an interview runs through the engine, is saved in a
database and exported to Excel, and Qt starts with its plugins and translations. All of
it happens in a temporary data folder, never the user's, which is removed afterwards.

Each step is reported as it finishes; a step whose prerequisite failed is skipped. Steps
import the core packages lazily, so a module missing from a frozen bundle shows up as a
failed step with its message rather than as a crash.
"""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldsurvey import __version__
from fieldsurvey.i18n import LANGUAGES, N_, _, ngettext
from fieldsurvey.paths import DataDir
from fieldsurvey.resources import bundled_forms_dir, bundled_root, translations_dir
from fieldsurvey.selftest.answers import fill_interview

log = logging.getLogger(__name__)

#: The questionnaire the application opens on, tested first when it is bundled.
MAIN_FORM = "diaspora_organizations.xlsx"
OK, FAILED, SKIPPED = "ok", "failed", "skipped"
#: Step name -> its title (translated when shown).
STEP_TITLES = {
    "bundle": N_("Installed files"),
    "form": N_("Questionnaire"),
    "store": N_("Database"),
    "interview": N_("Interview"),
    "finalize": N_("Finalized interview"),
    "export": N_("Excel export"),
    "qt": N_("Qt libraries"),
}


class StepFailed(Exception):
    """A check inside a step did not hold; the message says what, for the report."""


@dataclass
class StepResult:
    name: str
    status: str
    detail: str
    seconds: float

    @property
    def title(self) -> str:
        return _(STEP_TITLES[self.name])

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "status": self.status,
                "detail": self.detail, "seconds": round(self.seconds, 3)}


@dataclass
class SelfTestReport:
    """Every step's result; ``ok`` only when all of them passed."""

    steps: list[StepResult] = field(default_factory=list)
    seconds: float = 0.0
    kept_data_dir: Path | None = None

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(step.status == OK for step in self.steps)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "version": __version__,
            "frozen": bool(getattr(sys, "frozen", False)),
            "seconds": round(self.seconds, 3),
            "data_dir": str(self.kept_data_dir) if self.kept_data_dir else None,
            "steps": [step.as_dict() for step in self.steps],
        }


def choose_form(explicit: Path | None = None) -> Path | None:
    """The questionnaire to test: ``explicit``, else the main bundled one, else any bundled."""
    if explicit is not None:
        return explicit
    folder = bundled_forms_dir()
    if (folder / MAIN_FORM).is_file():
        return folder / MAIN_FORM
    found = sorted(folder.glob("*.xlsx"))
    return found[0] if found else None


class _Run:
    """One self-test run: the shared state the steps hand on to each other."""

    def __init__(self, form_path: Path | None, data_root: Path,
                 on_step: Callable[[StepResult], None] | None):
        self.form_path = form_path
        self.data_dir = DataDir(data_root)
        self.on_step = on_step
        self.report = SelfTestReport()
        self.loaded = self.store = self.definition = self.session = self.record = None

    @contextmanager
    def step(self, name: str, *, needs: object = True) -> Iterator[list[str]]:
        """Time the body, turn its outcome into a StepResult; skip it if ``needs`` is falsy.

        The body appends its one-line detail to the yielded list.
        """
        detail: list[str] = []
        start = time.perf_counter()
        if not needs:
            self._add(name, SKIPPED, _("Skipped: an earlier step failed."), 0.0)
            yield None  # type: ignore[misc] - the caller checks for None
            return
        try:
            yield detail
        except Exception as exc:  # every failure is reported, none stops the other steps
            log.info("self-test step %s failed", name, exc_info=True)
            message = getattr(exc, "translated", None)
            text = message() if callable(message) else f"{type(exc).__name__}: {exc}"
            self._add(name, FAILED, text, time.perf_counter() - start)
        else:
            self._add(name, OK, "; ".join(detail), time.perf_counter() - start)

    def _add(self, name: str, status: str, detail: str, seconds: float) -> None:
        result = StepResult(name, status, detail, seconds)
        self.report.steps.append(result)
        if self.on_step is not None:
            self.on_step(result)

    def passed(self, name: str) -> bool:
        return any(s.name == name and s.status == OK for s in self.report.steps)


def run_selftest(
    *,
    form: Path | None = None,
    keep: bool = False,
    include_qt: bool = True,
    on_step: Callable[[StepResult], None] | None = None,
) -> SelfTestReport:
    """Run every step in a temporary data folder and return the report.

    ``form`` tests another questionnaire than the bundled one; ``keep`` leaves the
    temporary data folder in place (its path is in the report); ``on_step`` is called
    after each step, for live output.
    """
    started = time.perf_counter()
    data_root = Path(tempfile.mkdtemp(prefix="fieldsurvey-selftest-"))
    run = _Run(choose_form(form), data_root, on_step)
    try:
        _check_bundle(run)
        _check_form(run)
        _check_store(run)
        _check_interview(run)
        _check_finalize(run)
        _check_export(run)
        if include_qt:
            _check_qt(run)
    finally:
        if run.store is not None:
            run.store.close()
        if keep:
            run.report.kept_data_dir = data_root
        else:
            shutil.rmtree(data_root, ignore_errors=True)
    run.report.seconds = time.perf_counter() - started
    return run.report


def _check_bundle(run: _Run) -> None:
    with run.step("bundle") as detail:
        if run.form_path is None:
            raise StepFailed(_("No questionnaire found in {folder}.").format(
                folder=bundled_forms_dir()))
        if not run.form_path.is_file():
            raise StepFailed(_("The questionnaire {path} does not exist.").format(
                path=run.form_path))
        catalogs = _check_catalogs()
        forms = len(list(bundled_forms_dir().glob("*.xlsx")))
        detail.append(_("bundled questionnaires: {forms}; interface translations: "
                        "{catalogs}; folder: {folder}").format(
            forms=forms, catalogs=catalogs, folder=bundled_root()))


def _check_catalogs() -> int:
    """Open every interface translation shipped; a corrupt one fails the step."""
    import gettext

    count = 0
    for code in LANGUAGES:
        folder = translations_dir() / code / "LC_MESSAGES"
        mo = folder / "fieldsurvey.mo"
        po = folder / "fieldsurvey.po"
        if mo.is_file():
            with mo.open("rb") as fh:
                gettext.GNUTranslations(fh)
        elif po.is_file():
            from babel.messages.pofile import read_po

            with po.open("rb") as fh:
                read_po(fh, locale=code, abort_invalid=True)
        else:
            continue
        count += 1
    return count


def _check_form(run: _Run) -> None:
    with run.step("form", needs=run.passed("bundle")) as detail:
        if detail is None:
            return
        from fieldsurvey.forms import load_form

        run.loaded = load_form(run.form_path)
        definition = run.loaded.definition
        questions = sum(1 for item in definition.iter_items() if item.kind == "question")
        detail.append(_("{name}, “{title}”; questions: {questions}; languages: "
                        "{languages}").format(
            name=run.form_path.name, title=definition.title, questions=questions,
            languages=len(definition.languages)))


def _check_store(run: _Run) -> None:
    with run.step("store", needs=run.loaded) as detail:
        if detail is None:
            return
        from fieldsurvey.store import open_store

        run.data_dir.ensure()
        run.store = open_store(run.data_dir)
        result = run.store.install_form(run.loaded)
        form = result.form
        detail.append(_("form {form_id}, version {version}, installed in a temporary "
                        "database").format(form_id=form.form_id, version=form.version or "-"))


def _check_interview(run: _Run) -> None:
    with run.step("interview", needs=run.store) as detail:
        if detail is None:
            return
        from fieldsurvey.forms import FormSession

        form = run.store.get_form(run.loaded.definition.form_id)
        definition = run.store.form_definition(form.form_id, form.version)
        session = FormSession(definition, device_id="fieldsurvey-self-test",
                              username="self-test")
        record = run.store.create_interview(
            form.form_id, form.version, session.to_xml(), enumerator="self-test",
            device_id="fieldsurvey-self-test", display_name=session.display_name())

        def autosave() -> None:  # one durable save per answer, as the interview screen does
            run.store.save_answer(record.instance_id, session.to_xml())

        answered = fill_interview(session, definition, after_answer=autosave)
        if answered == 0:
            raise StepFailed(_("No question could be answered."))
        run.definition, run.session, run.record = definition, session, record
        detail.append(_("questions answered and saved one by one: {answered} of "
                        "{total}").format(answered=answered, total=session.question_count()))


def _check_finalize(run: _Run) -> None:
    with run.step("finalize", needs=run.session) as detail:
        if detail is None:
            return
        from fieldsurvey.forms import FormSession
        from fieldsurvey.store import InterviewStatus, status_label

        session = run.session
        problems = session.validate()
        if problems:
            listed = "; ".join(f"{p.path}: {p.message}" for p in problems[:3])
            raise StepFailed(_("The interview does not validate: {problems}").format(
                problems=listed))
        session.finalize_preloads()
        # As Collect submits it: questions skipped by the skip logic are left out.
        xml = session.to_xml(submission=True)
        run.store.finalize(run.record.instance_id, xml)
        stored = run.store.get_interview(run.record.instance_id)
        if str(stored.status) != str(InterviewStatus.FINALIZED):
            raise StepFailed(_("The stored interview has the status “{status}”, not "
                               "“{finalized}”.").format(
                status=status_label(stored.status),
                finalized=status_label(InterviewStatus.FINALIZED)))
        # Resume the stored XML in a new session: every answer must come back unchanged.
        reread = FormSession.from_xml(run.definition, stored.xml)
        # Skipped questions are not in a finalized interview: only relevant answers count.
        before = {node.path: node.value for node in session.nodes() if node.relevant}
        after = {node.path: node.value for node in reread.nodes() if node.relevant}
        changed = sorted(path for path in before if before[path] != after.get(path))
        if changed:
            raise StepFailed(_("Answers changed after saving: {paths}").format(
                paths=", ".join(changed[:5])))
        kept = sum(1 for value in before.values() if value)
        detail.append(ngettext("validated, finalized and read back with {n} answer unchanged",
                               "validated, finalized and read back with {n} answers unchanged",
                               kept).format(n=kept))


def _check_export(run: _Run) -> None:
    with run.step("export", needs=run.passed("finalize")) as detail:
        if detail is None:
            return
        from openpyxl import load_workbook

        from fieldsurvey.exchange.export import export_workbook

        dest = run.data_dir.root / "exports" / "self-test.xlsx"
        dest.parent.mkdir(parents=True, exist_ok=True)
        report = export_workbook(run.store, run.loaded.definition.form_id, dest)
        instance_id = run.session.instance_id
        if report.interviews != 1:
            raise StepFailed(_("The export holds {n} interviews instead of 1.").format(
                n=report.interviews))
        workbook = load_workbook(dest, read_only=True)
        try:
            sheet = workbook.worksheets[0]
            found = any(instance_id in str(cell) for row in sheet.iter_rows(values_only=True)
                        for cell in row if cell is not None)
            sheets = len(workbook.sheetnames)
        finally:
            workbook.close()
        if not found:
            raise StepFailed(_("The interview {id} is not in the exported sheet.").format(
                id=instance_id))
        detail.append(_("{file}, sheets: {sheets}; the interview is in sheet “{sheet}”").format(
            file=dest.name, sheets=sheets, sheet=sheet.title))
        # Read back by a worker process, as a coordinator's merge of many files does: in
        # the installed program that is this executable started again.
        from fieldsurvey.exchange.merge_prepare import PreparedFiles

        with PreparedFiles([dest], 1) as prepared:
            keys = [r.key for r in prepared.records(0) if r.kind == "interview"]
            failed = prepared.fallbacks
        if failed or keys != [instance_id]:
            raise StepFailed(_("A merge worker process could not read the export back."))
        detail.append(_("read back by a merge worker process"))


def _check_qt(run: _Run) -> None:
    with run.step("qt") as detail:
        from fieldsurvey.selftest.qt_check import check_qt

        detail.append(check_qt())
