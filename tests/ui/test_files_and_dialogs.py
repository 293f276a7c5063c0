"""The parts of the main window that move files: installing by drag and drop, attaching a
file to an answer, exporting, merging into another laptop's data folder, backing up and
restoring, and the settings. Each is driven as a user does, through the real dialogs."""

from __future__ import annotations

import hashlib
import threading
import xml.etree.ElementTree as ET

import openpyxl
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from fieldsurvey.paths import DataDir

from .conftest import (
    click,
    finalized_interviews,
    install,
    open_window,
    report_text,
    write_xlsform,
)


def drag_and_drop(window, paths) -> tuple[bool, bool]:
    """Drag files over the window and drop them; (enter accepted, drop accepted)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(200, 200), Qt.DropAction.CopyAction, mime, buttons,
                            modifiers)
    enter.ignore()
    QApplication.sendEvent(window, enter)
    if not enter.isAccepted():
        return False, False
    drop = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime, buttons, modifiers)
    drop.ignore()
    QApplication.sendEvent(window, drop)
    return True, drop.isAccepted()


def test_dropping_a_questionnaire_on_the_window_installs_it(qtbot, main_window,
                                                            organization_form, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a questionnaire")
    assert drag_and_drop(main_window, [notes]) == (False, False)

    assert drag_and_drop(main_window, [organization_form]) == (True, True)
    table = main_window.forms_panel.table
    qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=20000)
    assert table.item(0, 0).text() == "Organizations"
    assert "Installed Organizations" in main_window.statusBar().currentMessage()


def test_an_attachment_is_copied_into_the_store_by_its_hash(qtbot, main_window, tmp_path,
                                                           monkeypatch):
    form = write_xlsform(tmp_path / "photos.xlsx", [
        ["type", "name", "label"],
        ["text", "place", "Place"],
        ["image", "photo", "Photo of the office"],
    ], settings={"form_id": "photos", "version": "1", "form_title": "Photos"})
    install(qtbot, main_window, form)
    picture = tmp_path / "office.png"
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkCyan)
    assert image.save(str(picture))
    view = main_window.new_interview("photos")
    qtbot.keyClick(view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    row = view.page_widget.rows["/data/photo"]

    from fieldsurvey.ui.interview.widgets import misc

    asked = []

    def choose(parent, caption, folder, filters):
        asked.append(filters)
        return str(picture), ""

    monkeypatch.setattr(misc.QFileDialog, "getOpenFileName", staticmethod(choose))
    row.widget.choose.setFocus()
    qtbot.keyClick(row.widget.choose, Qt.Key.Key_Space)

    assert asked and "*.png" in asked[0]
    ((name, sha, stored),) = main_window.store.attachments(view.instance_id)
    content = picture.read_bytes()
    assert sha == hashlib.sha256(content).hexdigest()
    assert stored.read_bytes() == content and sha in stored.name
    assert name.startswith("office-") and name.endswith(".png")
    assert view.session.state("/data/photo").value == name
    assert f"<photo>{name}</photo>" in main_window.store.get_interview(view.instance_id).xml
    assert row.widget.name.text() == name
    assert row.widget.preview.isVisible()  # the picture is shown from the store
    # Removing the answer saves the interview without it.
    click(row.widget.remove)
    saved = ET.fromstring(main_window.store.get_interview(view.instance_id).xml)
    assert not saved.findtext("photo")


def export_with_dialog(qtbot, window, dest, monkeypatch):
    """Export through the dialog; returns (dialog, the threads the export ran on)."""
    from fieldsurvey.exchange import export as export_module

    threads = []
    real = export_module.export_workbook

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(export_module, "export_workbook", spy)
    dialog = window.show_export()
    qtbot.waitUntil(dialog.isVisible)
    dialog.dest.setText(str(dest))
    click(dialog.export_button)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20000)
    return dialog, threads


def test_export_writes_a_workbook_off_the_gui_thread_with_progress(
        qtbot, main_window, organization_form, tmp_path, monkeypatch):
    install(qtbot, main_window, organization_form)
    finalized_interviews(main_window.store, ["Casa Maya", "Red Honduras"])
    dest = tmp_path / "out" / "organizations.xlsx"
    dest.parent.mkdir()
    dialog, threads = export_with_dialog(qtbot, main_window, dest, monkeypatch)

    assert threads and threads[0] is not threading.main_thread()
    assert dialog.progress.maximum() == 2 and dialog.progress.value() == 2
    book = openpyxl.load_workbook(dest, read_only=True)
    sheet = book[book.sheetnames[0]]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    column = next(i for i, title in enumerate(header) if title.endswith("org_name"))
    assert sorted(r[column] for r in rows[1:]) == ["Casa Maya", "Red Honduras"]
    book.close()
    text = report_text(dialog)
    assert "Exported 2 interviews" in text and str(dest) in text
    assert dialog.export_button.isEnabled()
    # Only new interviews the next time: nothing left, said plainly.
    dialog.only_new.setChecked(True)
    dialog.report = None
    click(dialog.export_button)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20000)
    assert "Exported 0 interviews" in report_text(dialog)


def test_merge_into_a_second_data_folder_shows_counts_and_conflicts(
        qtbot, main_window, organization_form, tmp_path, monkeypatch):
    install(qtbot, main_window, organization_form)
    (first,) = finalized_interviews(main_window.store, ["Casa Maya"])
    finalized_interviews(main_window.store, ["Red Honduras"])
    base = tmp_path / "base.xlsx"
    export_with_dialog(qtbot, main_window, base, monkeypatch)

    second = open_window(DataDir.resolve(tmp_path / "second-laptop"))
    qtbot.addWidget(second)
    try:
        merge = second.show_merge()
        merge.add_files([base])
        click(merge.merge_button)
        qtbot.waitUntil(lambda: merge.report is not None, timeout=20000)
        assert "New: 2, updated: 0, unchanged: 0, conflicting: 0, rejected: 0." in (
            report_text(merge))
        merge.close()
        second.refresh()
        assert second.interviews_panel.visible_count() == 2

        # Both laptops correct the same interview differently: a conflict, both kept.
        for store, name in ((main_window.store, "Casa Maya Norte"),
                            (second.store, "Casa Maya Sur")):
            record = store.reopen(first)
            store.finalize(record.instance_id, record.xml.replace("Casa Maya", name))
        from fieldsurvey.exchange.export import export_workbook

        export_workbook(main_window.store, "organizations", tmp_path / "north.xlsx")
        merge = second.show_merge()
        merge.add_files([tmp_path / "north.xlsx"])
        click(merge.merge_button)
        qtbot.waitUntil(lambda: merge.report is not None, timeout=20000)
        text = report_text(merge)
        assert "conflicting: 1" in text
        assert "Casa Maya Sur" in text and "Casa Maya Norte" in text  # the differing field
        assert "org_name" in text
    finally:
        second.store.close()


def backup_files(dialog) -> dict[str, str]:
    """The backups listed in the dialog: file -> the line a user reads."""
    items = [dialog.list.item(i) for i in range(dialog.list.count())]
    return {item.data(Qt.ItemDataRole.UserRole): item.text() for item in items}


def test_backup_then_restore_brings_the_data_back(qtbot, main_window, organization_form,
                                                  monkeypatch):
    install(qtbot, main_window, organization_form)
    (kept,) = finalized_interviews(main_window.store, ["Casa Maya"])
    dialog = main_window.show_backups()
    before = set(backup_files(dialog))
    backup_button = next(b for b in dialog.buttons.buttons() if b.text() == "Back up now")
    click(backup_button)
    (made,) = set(backup_files(dialog)) - before
    assert "made by hand" in backup_files(dialog)[made]
    dialog.close()

    # After the backup: one interview deleted, one added.
    main_window.store.delete(kept)
    (added,) = finalized_interviews(main_window.store, ["Red Honduras"])
    main_window.refresh()
    assert main_window.interviews_panel.visible_count() == 1

    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    dialog = main_window.show_backups()
    dialog.list.setCurrentRow(list(backup_files(dialog)).index(made))
    restore = next(b for b in dialog.buttons.buttons() if b.text() == "Restore…")
    click(restore)

    # The window carries on with the restored database.
    assert main_window.isVisible()
    assert not main_window.store.get_interview(kept).deleted
    with pytest.raises(Exception):  # noqa: B017 - the store's not-found error
        main_window.store.get_interview(added)
    assert main_window.interviews_panel.visible_count() == 1
    assert main_window.interviews_panel.select(kept)
    assert "Restored" in main_window.statusBar().currentMessage()
    # The replaced database was kept as a backup first.
    assert any("before-restore" in p.name for p in main_window.store.list_backups())


def test_settings_are_stored_and_used(qtbot, main_window, organization_form):
    install(qtbot, main_window, organization_form)
    dialog = main_window.show_settings()
    qtbot.waitUntil(dialog.isVisible)
    for widget in (dialog.language, dialog.enumerator, dialog.backups, dialog.timeout,
                   dialog.verify, dialog.proxy):
        assert widget.accessibleName()
    dialog.enumerator.setFocus()
    qtbot.keyClicks(dialog.enumerator, "  Encuestador/a 07 ")
    dialog.backups.setValue(7)
    dialog.timeout.setValue(45)
    dialog.proxy.setText("http://proxy.example:3128")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    with qtbot.waitSignal(dialog.finished):
        click(ok)
    settings = main_window.settings
    assert settings.get("enumerator") == "Encuestador/a 07"
    assert settings.get("backups_to_keep") == 7
    assert settings.get("sync_timeout_seconds") == 45
    assert settings.get("sync_proxy") == "http://proxy.example:3128"

    # Cancel keeps what was stored.
    dialog = main_window.show_settings()
    assert dialog.enumerator.text() == "Encuestador/a 07" and dialog.backups.value() == 7
    dialog.enumerator.setText("Somebody else")
    cancel = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel)
    with qtbot.waitSignal(dialog.finished):
        click(cancel)
    assert settings.get("enumerator") == "Encuestador/a 07"

    # A new interview carries the enumerator's name.
    view = main_window.new_interview("organizations")
    record = main_window.store.get_interview(view.instance_id)
    assert record.enumerator == "Encuestador/a 07"
