"""The interview controller keeps a draft's count of open problems through the store's
own API: stored for the interview list, and never written to a deleted interview."""

from __future__ import annotations

import pytest

from fieldsurvey.forms import FormSession
from fieldsurvey.store import open_store

from .conftest import NAME


@pytest.fixture
def store(data_dir, organization_form):
    with open_store(data_dir, backup_on_start=False) as opened:
        opened.install_form(organization_form)
        yield opened


def open_draft(qtbot, store):
    from fieldsurvey.ui.interview.controller import InterviewController

    definition = store.form_definition("organizations")
    session = FormSession(definition)
    record = store.create_interview("organizations", definition.version, session.to_xml())
    controller = InterviewController(store, record, session)
    return controller, session


def test_leaving_a_draft_stores_its_open_problems(qtbot, store):
    controller, session = open_draft(qtbot, store)
    # Organization name and "Does it run projects?" are required and unanswered.
    assert controller.save_error_count()
    assert store.get_interview(controller.instance_id).error_count == 2
    controller.commit(NAME, "Club Zacatecano")
    assert controller.save_error_count()
    assert store.get_interview(controller.instance_id).error_count == 1


def test_a_deleted_draft_gets_no_count(qtbot, store):
    controller, session = open_draft(qtbot, store)
    store.delete(controller.instance_id)
    assert controller.save_error_count() is False
    assert store.get_interview(controller.instance_id).error_count == 0


def test_a_draft_finalized_meanwhile_keeps_its_count(qtbot, store):
    controller, session = open_draft(qtbot, store)
    assert controller.save_error_count()
    session.set_answer(NAME, "Club Zacatecano")
    session.set_answer("/data/intro/has_projects", "no")
    store.finalize(controller.instance_id, session.to_xml(submission=True), error_count=0)
    assert controller.save_error_count()
    assert store.get_interview(controller.instance_id).error_count == 0
