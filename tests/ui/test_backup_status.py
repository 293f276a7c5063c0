"""The status bar says when the database was last backed up, as soon as a backup is made,
with the date written the way the interface language writes it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fieldsurvey.i18n import current_language, set_language
from fieldsurvey.i18n.formatting import format_datetime

from .conftest import ORGANIZATION_CHOICES, ORGANIZATION_SURVEY, install, write_xlsform


def _shown(window) -> str:
    return window.last_backup.text()


def test_the_status_bar_shows_each_new_backup(qtbot, main_window):
    window = main_window
    assert _shown(window) == "No backup yet"  # a new data folder
    window.store.backup("manual")
    taken = window.store.last_backup_at
    assert _shown(window) == f"Last backup: {format_datetime(taken, format='short')}"
    # Finalizing after the backup interval backs up again, and the label follows.
    window.store.clock = lambda: taken + timedelta(hours=3)
    form = write_xlsform(window.data_dir.root.parent / "organizations.xlsx",
                         ORGANIZATION_SURVEY, ORGANIZATION_CHOICES,
                         {"form_id": "organizations", "version": "1"})  # fmt: skip
    install(qtbot, window, form)
    from fieldsurvey.forms import FormSession

    definition = window.store.form_definition("organizations")
    record = window.store.create_interview("organizations", definition.version,
                                           FormSession(definition).to_xml())  # fmt: skip
    window.store.finalize(record.instance_id, record.xml)
    later = format_datetime(taken + timedelta(hours=3), format="short")
    assert later != format_datetime(taken, format="short")
    assert _shown(window) == f"Last backup: {later}"


def test_the_backup_time_follows_the_interface_language(main_window):
    main_window.store.clock = lambda: datetime(2026, 11, 3, 14, 5, tzinfo=UTC)
    main_window.store.backup("manual")
    previous = current_language()
    try:
        set_language("es")
        spanish = format_datetime(main_window.store.last_backup_at, format="short")
        assert spanish != format_datetime(main_window.store.last_backup_at, format="short",
                                          language="en")  # fmt: skip
        assert spanish in _shown(main_window)
    finally:
        set_language(previous)
    assert format_datetime(main_window.store.last_backup_at, format="short") in _shown(
        main_window)
