"""``fieldsurvey demo``: generated interviews that the engine accepts, stored through the
store's lifecycle, reproducible with a seed, and laptop exports whose merge meets real
conflicts."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from fieldsurvey.cli.main import main
from fieldsurvey.demo import generate_into_store, simulate_laptops
from fieldsurvey.demo.content import DESTINATIONS
from fieldsurvey.forms import FormSession
from fieldsurvey.paths import DataDir
from fieldsurvey.store import InterviewStatus, open_store

CITIES = {place[2] for place in DESTINATIONS}


def _run(argv: list[str], capsys) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().out


def test_demo_command_stores_interviews_that_respect_the_form(tmp_path, capsys):
    data = tmp_path / "data"
    code, out = _run(["--data-dir", str(data), "demo", "--interviews", "14", "--seed", "4",
                      "--json"], capsys)  # fmt: skip
    assert code == 0
    counts = json.loads(out)
    assert counts["interviews"] == 14
    assert counts["finalized"] + counts["drafts"] == 14
    with open_store(DataDir.resolve(data)) as store:
        definition = store.form_definition("diaspora_organizations")
        records = list(store.iter_interviews(form_id="diaspora_organizations"))
        assert len(records) == 14
        finalized = [r for r in records if r.status == InterviewStatus.FINALIZED]
        assert len(finalized) == counts["finalized"]
        assert any(r.revision == 2 for r in records) == (counts["corrections"] > 0)
        for record in finalized:
            session = FormSession.from_xml(definition, record.xml)
            assert session.validate() == [], record.display_name
            assert record.error_count == 0
            unasked = [
                view.path for view in session.walk()
                if view.item.kind == "question" and not view.relevant
                and view.state is not None and view.state.value
            ]  # fmt: skip
            assert unasked == [], "answers were given to questions that are not asked"
            if session.state("/data/consent_section/consent").value == "yes":
                assert session.state("/data/profile/org_name").value
                assert session.state("/data/profile/dest_city").value in CITIES
                assert record.display_name.startswith(
                    session.state("/data/profile/org_name").value
                )
            assert record.enumerator and record.device_id


def test_same_seed_same_interviews_other_seed_others(tmp_path):
    def first_revisions(folder: Path, seed: int) -> dict[str, str]:
        with open_store(DataDir.resolve(folder)) as store:
            generate_into_store(store, 8, seed=seed)
            firsts = {}
            for summary in store.list_interviews():
                revisions = store.revisions(summary.instance_id)
                first = revisions[0] if revisions else store.get_interview(summary.instance_id)
                firsts[first.instance_id] = first.xml
            return firsts

    one = first_revisions(tmp_path / "one", 11)
    two = first_revisions(tmp_path / "two", 11)
    other = first_revisions(tmp_path / "other", 12)
    assert len(one) == 8 and one == two
    assert not set(one) & set(other)


def test_laptop_exports_merge_with_corrections_and_conflicts(tmp_path):
    from fieldsurvey.exchange.importer import merge_files

    out = tmp_path / "exports"
    report = simulate_laptops(36, 3, out, seed=7)
    files = sorted(out.glob("*.xlsx"))
    assert [lap.file for lap in report.laptops] == files and len(files) == 3
    assert len({lap.device_id for lap in report.laptops}) == 3
    assert len({lap.enumerator for lap in report.laptops}) == 3
    assert sum(lap.interviews for lap in report.laptops) == 36
    assert report.conflicts >= 1 and report.corrections > report.conflicts
    with open_store(DataDir.resolve(tmp_path / "coordinator")) as store:
        store.install_bundled_forms()
        merged = merge_files(store, files)
        assert merged.rejected_files == []
        assert len(merged.conflicts) == report.conflicts
        assert len(store.list_interviews(form_id="diaspora_organizations")) == 36
        devices = {s.device_id for s in store.list_interviews()}
        assert devices == {lap.device_id for lap in report.laptops}
        # merging the same exports again changes nothing
        again = merge_files(store, files)
        assert again.counts["new"] == 0 and again.counts["updated"] == 0


def test_laptops_need_an_output_folder(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--interviews", "3", "--laptops", "2"])
    assert exit_info.value.code == 2
    assert "--out" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["0", "-4", "many"])
def test_interview_count_must_be_positive(value, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--interviews", value])
    assert exit_info.value.code == 2
    assert value in capsys.readouterr().err


def test_demo_command_prints_a_summary_per_laptop(tmp_path, capsys):
    code, out = _run(["demo", "--interviews", "4", "--laptops", "2", "--out",
                      str(tmp_path / "x"), "--seed", "1"], capsys)  # fmt: skip
    assert code == 0
    assert "4 interviews generated" in out
    assert out.count("diaspora_organizations-laptop0") == 2
    assert io.StringIO(out).readline()


def test_the_summary_counts_what_each_file_holds(tmp_path, capsys):
    from fieldsurvey.exchange.workbook_io import XlsxReader

    code, out = _run(["demo", "--interviews", "12", "--laptops", "3", "--out",
                      str(tmp_path / "x"), "--seed", "3"], capsys)  # fmt: skip
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "12 interviews generated."
    assert "drafts: 0," in lines[1]  # never "0 drafts" / "1 drafts": labels, not plurals
    handed_over = 0
    for line in lines[2:]:
        file, rest = line.split(": ", 1)
        with XlsxReader(Path(file)) as reader:
            rows = sum(1 for _ in reader.iter_rows("diaspora_organizations")) - 1
        held, made = rest.split("; made on this laptop")
        assert held == f"{rows} interviews" or held == f"{rows} interview"
        handed_over += rows - int(made.rsplit(": ", 1)[1])
    assert handed_over > 0  # corrections travel between laptops


def test_demo_drafts_carry_their_open_problems(tmp_path, monkeypatch):
    import fieldsurvey.demo.generate as generate

    monkeypatch.setattr(generate, "DRAFT_RATE", 0.6)
    monkeypatch.setattr(generate, "CORRECTION_RATE", 0)
    with open_store(DataDir.resolve(tmp_path / "data")) as store:
        generate_into_store(store, 5, seed=2)
        definition = store.form_definition("diaspora_organizations")
        drafts = list(store.iter_interviews(status="draft"))
        assert drafts
        for record in drafts:
            expected = len(FormSession.from_xml(definition, record.xml).validate())
            assert expected > 0  # left half done: required answers are missing
            assert record.error_count == expected, record.display_name
