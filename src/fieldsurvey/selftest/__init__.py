"""The installed application's self-test: ``fieldsurvey self-test``.

It proves on a field laptop, in a few seconds, that the program as installed works end to
end: the bundled questionnaire loads, an interview runs through the engine, is saved in a
database and exported to Excel, and Qt starts with its plugins and translations. All of
it happens in a temporary data folder, never the user's.
"""

from fieldsurvey.selftest.answers import fill_interview
from fieldsurvey.selftest.runner import (
    FAILED,
    OK,
    SKIPPED,
    SelfTestReport,
    StepResult,
    choose_form,
    run_selftest,
)

__all__ = [
    "FAILED",
    "OK",
    "SKIPPED",
    "SelfTestReport",
    "StepResult",
    "choose_form",
    "fill_interview",
    "run_selftest",
]
