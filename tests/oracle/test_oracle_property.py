"""Random interviews on small forms give the same states in FieldSurvey and in ODK's engine.

Hypothesis draws answer sequences (repeat instances added and removed, values in and out of
their constraints, blanks) for forms written for the purpose: sums and counts over repeats,
relevance, constraints, required questions and calculations. Each sequence runs through
ODK Web Forms' engine and FieldSurvey's and every node must agree (compare.py's rules).
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import oracle_cases
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "forms"))

from xlsform import write_xlsform  # noqa: E402

pytestmark = pytest.mark.oracle

HEAD = ["type", "name", "label", "constraint", "relevant", "calculation", "required",
        "repeat_count"]  # fmt: skip

HOUSEHOLD = [
    HEAD,
    ["integer", "hh_size", "People in the household", ". >= 1 and . <= 12", "", "", "yes", ""],
    ["begin_repeat", "member", "Member", "", "", "", "", ""],
    ["text", "name", "Name", "", "", "", "yes", ""],
    ["integer", "age", "Age", ". >= 0 and . < 120", "", "", "", ""],
    ["calculate", "adult", "", "", "", "if(${age} >= 18, 1, 0)", "", ""],
    ["text", "job", "Occupation", "", "${age} >= 15", "", "yes", ""],
    ["end_repeat", "", "", "", "", "", "", ""],
    ["calculate", "members", "", "", "", "count(${member})", "", ""],
    ["calculate", "sum_age", "", "", "", "sum(${age})", "", ""],
    ["calculate", "sum_adults", "", "", "", "sum(${adult})", "", ""],
    ["text", "why", "Why do the members differ from the size?", "", "${members} != ${hh_size}",
     "", "yes", ""],  # fmt: skip
    ["integer", "rooms", "Rooms", ". <= ${members}", "${members} > 0", "", "", ""],
]

FARM = [
    HEAD + ["choice_filter"],
    ["select_one yn", "has_plots", "Any plots?", "", "", "", "yes", "", ""],
    ["begin_repeat", "plot", "Plot", "", "${has_plots} = 'yes'", "", "", "", ""],
    ["decimal", "area", "Area (ha)", ". > 0", "", "", "yes", "", ""],
    ["select_multiple crop", "crops", "Crops", "", "", "", "", "", ""],
    ["select_one crop", "main", "Main crop", "", "count-selected(${crops}) > 1", "", "", "",
     "selected(${crops}, name)"],  # fmt: skip
    ["begin_repeat", "harvest", "Harvest", "", "", "", "", "", ""],
    ["integer", "kg", "Kilograms", ". >= 0", "", "", "", "", ""],
    ["end_repeat", "", "", "", "", "", "", "", ""],
    ["calculate", "sum_kg", "", "", "", "sum(../harvest/kg)", "", "", ""],
    ["calculate", "n_crops", "", "", "", "count-selected(${crops})", "", "", ""],
    ["end_repeat", "", "", "", "", "", "", "", ""],
    ["calculate", "sum_area", "", "", "", "sum(${area})", "", "", ""],
    ["calculate", "sum_all_kg", "", "", "", "sum(${sum_kg})", "", "", ""],
    ["calculate", "maize_plots", "", "", "", "count(/data/plot[selected(crops, 'maize')])", "",
     "", ""],  # fmt: skip
    ["decimal", "yield", "Yield (kg/ha)", ". < 20000", "${sum_area} > 0", "", "", "", ""],
]
FARM_CHOICES = [
    ["list_name", "name", "label"],
    ["yn", "yes", "Yes"],
    ["yn", "no", "No"],
    ["crop", "maize", "Maize"],
    ["crop", "beans", "Beans"],
    ["crop", "rice", "Rice"],
]
CROPS = ("maize", "beans", "rice")

_numbers = itertools.count(1)
_EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def forms_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("oracle-forms")
    write_xlsform(folder / "household.xlsx", HOUSEHOLD)
    write_xlsform(folder / "farm.xlsx", FARM, FARM_CHOICES)
    return folder


def _integer(low: int, high: int):
    return st.one_of(st.integers(low, high).map(str), st.just(""))


@st.composite
def household_steps(draw) -> list[dict]:
    members = 1  # pyxform's XForm holds one instance of the repeat
    steps = []
    for _ in range(draw(st.integers(1, 14))):
        kind = draw(st.sampled_from(["size", "add", "remove", "name", "age", "age", "job",
                                     "why", "rooms"]))  # fmt: skip
        if kind == "size":
            steps.append({"path": "/data/hh_size", "value": draw(_integer(-1, 14))})
        elif kind == "add":
            members += 1
            steps.append({"add_repeat": "/data/member"})
        elif kind == "why":
            steps.append({"path": "/data/why", "value": draw(st.sampled_from(["moved", ""]))})
        elif kind == "rooms":
            steps.append({"path": "/data/rooms", "value": draw(_integer(0, 6))})
        elif members:
            i = draw(st.integers(1, members))
            if kind == "remove":
                members -= 1
                steps.append({"remove_repeat": f"/data/member[{i}]"})
            elif kind == "name":
                value = draw(st.sampled_from(["Ana", "Bo", ""]))
                steps.append({"path": f"/data/member[{i}]/name", "value": value})
            elif kind == "age":
                steps.append({"path": f"/data/member[{i}]/age", "value": draw(_integer(-3, 125))})
            else:
                value = draw(st.sampled_from(["farmer", ""]))
                steps.append({"path": f"/data/member[{i}]/job", "value": value})
    return steps


@st.composite
def farm_steps(draw) -> list[dict]:
    plots = [1]  # harvests per plot: pyxform ships plot[1] holding harvest[1]
    steps = []
    for _ in range(draw(st.integers(1, 16))):
        kind = draw(st.sampled_from(["has", "add_plot", "remove_plot", "area", "crops", "main",
                                     "add_harvest", "remove_harvest", "kg", "kg", "yield"]))  # fmt: skip
        if kind == "has":
            value = draw(st.sampled_from(["yes", "no", ""]))
            steps.append({"path": "/data/has_plots", "value": value})
        elif kind == "add_plot":
            plots.append(0)  # a new outer instance has no inner ones
            steps.append({"add_repeat": "/data/plot"})
        elif kind == "yield":
            value = draw(st.sampled_from(["1500.5", "25000", ""]))
            steps.append({"path": "/data/yield", "value": value})
        elif plots:
            p = draw(st.integers(1, len(plots)))
            plot = f"/data/plot[{p}]"
            if kind == "remove_plot":
                del plots[p - 1]
                steps.append({"remove_repeat": plot})
            elif kind == "area":
                value = draw(st.sampled_from(["0", "0.5", "2.25", "-1", ""]))
                steps.append({"path": f"{plot}/area", "value": value})
            elif kind == "crops":
                chosen = draw(st.lists(st.sampled_from(CROPS), unique=True))
                value = " ".join(c for c in CROPS if c in chosen)  # choice-list order, as a UI
                steps.append({"path": f"{plot}/crops", "value": value})
            elif kind == "main":
                steps.append({"path": f"{plot}/main", "value": draw(st.sampled_from(CROPS))})
            elif kind == "add_harvest":
                plots[p - 1] += 1
                steps.append({"add_repeat": f"{plot}/harvest"})
            elif plots[p - 1]:
                h = draw(st.integers(1, plots[p - 1]))
                if kind == "remove_harvest":
                    plots[p - 1] -= 1
                    steps.append({"remove_repeat": f"{plot}/harvest[{h}]"})
                else:
                    value = draw(_integer(-5, 900))
                    steps.append({"path": f"{plot}/harvest[{h}]/kg", "value": value})
    return steps


def _agree(comparison, forms_dir: Path, form: str, steps: list[dict]) -> None:
    answers = forms_dir / f"{form}.{next(_numbers)}.answers.json"
    spec = {"answers": steps, "now": "2024-06-15T12:00:00Z", "timezone": "UTC",
            "deterministic_uuids": True}  # fmt: skip
    answers.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    result = comparison.run(answers, prune=True)
    applied = json.loads(answers.read_text(encoding="utf-8"))["answers"]
    assert result["status"] == "passed", (
        oracle_cases.describe(result) + "\nanswers: " + json.dumps(applied)
    )


@_EXAMPLES
@given(steps=household_steps())
def test_household_roster_agrees_with_the_odk_oracle(oracle_comparison, forms_dir, steps):
    _agree(oracle_comparison, forms_dir, "household", steps)


@_EXAMPLES
@given(steps=farm_steps())
def test_nested_plots_and_harvests_agree_with_the_odk_oracle(oracle_comparison, forms_dir, steps):
    _agree(oracle_comparison, forms_dir, "farm", steps)
