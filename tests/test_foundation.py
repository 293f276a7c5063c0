"""The program's frame: command line, data folder, settings, the Qt-free core."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from fieldsurvey.cli.main import main
from fieldsurvey.errors import FormError
from fieldsurvey.paths import DataDir, resolve_data_dir
from fieldsurvey.settings import Settings


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "--data-dir" in out
    for command in ("app", "form", "db", "forms", "interviews", "export", "merge", "sync"):
        assert command in out


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["no-such-command"])
    assert exit_info.value.code == 2


def test_data_dir_option_wins_over_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("FIELDSURVEY_DATA_DIR", str(tmp_path / "from-env"))
    assert resolve_data_dir(tmp_path / "explicit") == (tmp_path / "explicit").resolve()
    assert resolve_data_dir(None) == (tmp_path / "from-env").resolve()


def test_data_dir_is_laid_out_with_a_log(tmp_path):
    data = DataDir.resolve(tmp_path / "d")
    for folder in (data.backups, data.attachments, data.logs, data.forms):
        assert folder.is_dir()


def test_settings_survive_a_restart_and_a_damaged_file(tmp_path):
    path = tmp_path / "settings.json"
    settings = Settings(path)
    settings.set("enumerator", "Encuestador 07")
    settings.set("backups_to_keep", 3)
    again = Settings(path)
    assert again.get("enumerator") == "Encuestador 07"
    assert again.get("backups_to_keep") == 3
    path.write_text("{not json", encoding="utf-8")
    assert Settings(path).get("enumerator") == ""  # defaults, no crash


def test_error_names_where_the_problem_is():
    error = FormError("Unknown question type.", path="f.xlsx", sheet="survey", row=7)
    text = error.translated()
    assert "f.xlsx" in text and "survey" in text and "7" in text
    assert error.as_dict()["row"] == 7


def test_core_imports_without_pyside6():
    """The engine, the store and the exchange must work where Qt is not installed."""
    code = textwrap.dedent(
        """
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split('.')[0] in ('PySide6', 'shiboken6'):
                    raise ImportError('blocked: ' + name)
                return None
        sys.meta_path.insert(0, Block())
        import fieldsurvey.forms, fieldsurvey.store, fieldsurvey.exchange, fieldsurvey.sync
        import fieldsurvey.i18n, fieldsurvey.errors, fieldsurvey.settings
        from fieldsurvey.cli.main import build_parser
        build_parser()
        assert not any(m.startswith('PySide6') for m in sys.modules)
        print('ok')
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ.copy()
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")


def test_module_entry_point_runs(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "fieldsurvey", "--data-dir", str(tmp_path), "--version"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert "FieldSurvey" in result.stdout


def test_a_crash_in_a_command_is_logged_and_exits_1(tmp_path, capsys, monkeypatch):
    import fieldsurvey.cli.app_cmd as app_cmd

    def explode(args, ctx):
        raise RuntimeError("boom")

    monkeypatch.setattr(app_cmd, "run_app", explode)
    status = main(["--data-dir", str(tmp_path)])
    assert status == 1
    assert "boom" in capsys.readouterr().err
    assert "boom" in (tmp_path / "logs" / "fieldsurvey.log").read_text(encoding="utf-8")


def test_json_errors_are_machine_readable(capsys):
    from fieldsurvey.cli.context import CliContext

    ctx = CliContext(data_dir=DataDir.resolve(), json_output=True)
    ctx.print_json({"error": FormError(sheet="survey", row=3).as_dict()})
    payload = json.loads(capsys.readouterr().out)
    assert payload["error"]["sheet"] == "survey"
