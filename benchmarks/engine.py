"""Form engine benchmark on generated questionnaires.

The large form: 2,000 questions in 40 groups, 600 relevance expressions, 200
calculations, 100 constraints, a repeat filled 100 times and a 50,000-row choice list
with a choice_filter. The mixed form: integers, selects with ``selected()`` relevance,
dates, texts, ``concat``/``if`` calculations and sums over a repeat of 100 instances.
Prints ``figure: value unit (target: ...) ok|MISS``; exits 0 even on MISS.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil
from openpyxl import Workbook

GROUPS = 40
PER_GROUP = 50
CHOICES = 50_000


def build_xlsform(path: Path) -> None:
    wb = Workbook(write_only=True)
    survey = wb.create_sheet("survey")
    survey.append(
        ["type", "name", "label", "relevant", "constraint", "calculation", "choice_filter"]
    )
    survey.append(["select_one region", "region", "Region", "", "", "", ""])
    survey.append(["select_one place", "place", "Place", "", "", "", "cf = ${region}"])
    relevance = constraints = calcs = 0
    for g in range(GROUPS):
        survey.append(["begin_group", f"g{g}", f"Group {g}", "", "", "", ""])
        for q in range(PER_GROUP):
            name = f"q{g}_{q}"
            relevant = constraint = ""
            if q % 50 < 15 and relevance < 600 and q > 0:
                relevant = f"${{q{g}_{q - 1}}} != 3"
                relevance += 1
            if q % 50 in (20, 21) and constraints < 100:
                constraint = ". < 1000"
                constraints += 1
            if q % 50 >= 45 and calcs < 200:
                survey.append(
                    ["calculate", name, "", "", "", f"coalesce(${{q{g}_{q - 45}}}, 0) + 1", ""]
                )
                calcs += 1
                continue
            survey.append(["integer", name, f"Question {g}.{q}", relevant, constraint, "", ""])
        survey.append(["end_group", "", "", "", "", "", ""])
    survey.append(["begin_repeat", "member", "Member", "", "", "", ""])
    survey.append(["text", "mname", "Name", "", "", "", ""])
    survey.append(["integer", "mage", "Age", "", ". < 130", "", ""])
    survey.append(["text", "mjob", "Job", "${mage} >= 15", "", "", ""])
    survey.append(["end_repeat", "", "", "", "", "", ""])
    survey.append(["calculate", "members", "", "", "", "count(${member})", ""])
    choices = wb.create_sheet("choices")
    choices.append(["list_name", "name", "label", "cf"])
    for r in range(50):
        choices.append(["region", f"r{r}", f"Region {r}", ""])
    for c in range(CHOICES):
        choices.append(["place", f"p{c}", f"Place {c}", f"r{c % 50}"])
    wb.save(path)


MIXED_GROUPS = 30
MIXED_INSTANCES = 100
#: The sums over the mixed form's repeat, and what each adds up per instance.
MIXED_SUMS = {
    "ages": "sum(${age})",
    "people": "count(${member})",
    "adults": "sum(${adult})",
    "women": "count(${member}[sex = 'f'])",
    "weights": "sum(${kg})",
    "incomes": "sum(${earned})",
}


def build_mixed_xlsform(path: Path) -> None:
    """Groups of integer, select, date and text questions with selected() relevance and
    concat/if calculations, then a repeat whose answers feed several sums."""
    wb = Workbook(write_only=True)
    survey = wb.create_sheet("survey")
    survey.append(["type", "name", "label", "relevant", "constraint", "calculation", "default"])

    def row(kind, name, label="", relevant="", constraint="", calculation="", default=""):
        survey.append([kind, name, label, relevant, constraint, calculation, default])

    for g in range(MIXED_GROUPS):
        pick, n, day, why, one = (f"${{{q}{g}}}" for q in ("pick", "n", "day", "why", "one"))
        row("begin_group", f"m{g}", f"Part {g}")
        row("select_multiple abc", f"pick{g}", "Pick")
        row("integer", f"n{g}", "Number", f"selected({pick}, 'a')", ". < 100")
        row("date", f"day{g}", "Day", f"selected({pick}, 'b')", ". <= today()")
        row("text", f"why{g}", "Why", f"selected({pick}, 'c') or {n} > 5")
        row("select_one abc", f"one{g}", "One", f"count-selected({pick}) > 1")
        row("calculate", f"label{g}",
            calculation=f"concat({why}, ' / ', if({n} > 10, 'many', 'few'), ' / ', {one})")
        row("calculate", f"days{g}", calculation=f"if({day} != '', today() - date({day}), 0)")
        row("end_group", "")
    row("begin_repeat", "member", "Member")
    row("text", "mname", "Name")
    row("integer", "age", "Age", constraint=". < 130", default="1")
    row("select_one sex", "sex", "Sex", default="f")
    row("date", "born", "Born", "${age} < 5")
    row("decimal", "weight", "Weight", "selected(${sex}, 'f') or ${age} < 5", default="2.5")
    row("integer", "income", "Income", "${age} >= 15")
    row("calculate", "adult", calculation="if(${age} >= 18, 1, 0)")
    row("calculate", "earned", calculation="coalesce(${income}, 0)")
    row("calculate", "kg", calculation="coalesce(${weight}, 0)")
    row("calculate", "tag", calculation="concat(${mname}, ' (', ${age}, ')')")
    row("end_repeat", "")
    for name, expression in MIXED_SUMS.items():
        row("calculate", name, calculation=expression)
    row("calculate", "summary", calculation="concat(${people}, ' people, ', ${adults}, ' adults')")
    choices = wb.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    for value in "abcd":
        choices.append(["abc", value, value.upper()])
    choices.append(["sex", "f", "Female"])
    choices.append(["sex", "m", "Male"])
    wb.save(path)


def mixed_answers(g: int, i: int) -> list[tuple[str, object]]:
    """The answers of one round in part ``g`` (round ``i`` varies them)."""
    base = f"/data/m{g}"
    picks = ["a", "b", "c", "d"][: 1 + i % 4]
    return [
        (f"{base}/pick{g}", picks),
        (f"{base}/n{g}", i % 20),
        (f"{base}/day{g}", f"2024-04-{1 + i % 28:02d}"),
        (f"{base}/why{g}", f"reason {i}"),
        (f"{base}/one{g}", "abcd"[i % 4]),
    ]


def run_mixed(convert, parse_xform, FormSession) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mixed.xlsx"
        build_mixed_xlsform(path)
        xform = convert(xlsform=str(path), validate=False, warnings=[]).xform
    session = FormSession(parse_xform(xform), now="2024-05-01T10:00:00+00:00", seed=1)
    for n in range(1, MIXED_INSTANCES - 1):  # the form holds the first instance
        new = session.add_repeat("/data/member")
        session.set_answer(f"{new}/mname", f"Person {n}")
        session.set_answer(f"{new}/age", 3 + n % 60)
        session.set_answer(f"{new}/sex", "fm"[n % 2])
    timings = []
    for i in range(900):
        if i % 3 == 2:  # every third answer goes to the repeat, read by all the sums
            member = 1 + (i * 7) % (MIXED_INSTANCES - 1)
            path, value = f"/data/member[{member}]/age", 2 + i % 70
        else:
            path, value = mixed_answers(i % MIXED_GROUPS, i)[i % 5]
        t0 = time.perf_counter()
        session.set_answer(path, value)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    figure("mixed form: one answer re-evaluated, median", statistics.median(timings), "ms", 1.0,
           "{:.3f}")
    figure("mixed form: one answer re-evaluated, p99", timings[int(len(timings) * 0.99)], "ms",
           16.0, "{:.3f}")

    before = {name: float(session.state(f"/data/{name}").value) for name in MIXED_SUMS}
    t0 = time.perf_counter()
    session.add_repeat("/data/member")
    elapsed = (time.perf_counter() - t0) * 1000
    after = {name: float(session.state(f"/data/{name}").value) for name in MIXED_SUMS}
    # The new instance: age 1 (default), sex f, weight 2.5, no income, not an adult
    expected = dict(before, ages=before["ages"] + 1, people=before["people"] + 1,
                    women=before["women"] + 1, weights=before["weights"] + 2.5)
    assert session.repeat_count("/data/member") == MIXED_INSTANCES
    assert after == expected, (before, after)
    figure("mixed form: the 100th repeat instance added, every sum updated", elapsed, "ms", 10.0)


def figure(name: str, value: float, unit: str, target: float, fmt: str = "{:.2f}") -> None:
    ok = "ok" if value < target else "MISS"
    print(f"{name}: {fmt.format(value)} {unit} (target: < {fmt.format(target)} {unit}) {ok}")


def main() -> int:
    from pyxform.xls2xform import convert

    from fieldsurvey.forms import FormSession
    from fieldsurvey.forms.xform_parser import _parse_cached, parse_xform

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large.xlsx"
        build_xlsform(path)
        t0 = time.perf_counter()
        xform = convert(xlsform=str(path), validate=False, warnings=[]).xform
        print(
            f"pyxform conversion (information, done once at install): {time.perf_counter() - t0:.2f} s"
        )
        if len(sys.argv) > 1:  # keep the XForm for profiling
            Path(sys.argv[1]).write_text(xform, encoding="utf-8")

    import fieldsurvey.forms.xpath  # noqa: F401  (imported once when the app starts)

    _parse_cached.cache_clear()
    t0 = time.perf_counter()
    definition = parse_xform(xform)
    session = FormSession(definition, now="2024-05-01T10:00:00+00:00", seed=1)
    figure("load (XForm -> FormDefinition + FormSession)", time.perf_counter() - t0, "s", 2.0)

    timings = []
    for i in range(600):
        g, q = i % GROUPS, (i * 7) % 40
        t0 = time.perf_counter()
        session.set_answer(f"/data/g{g}/q{g}_{q}", str(i % 7))
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    figure("one answer re-evaluated, median", statistics.median(timings), "ms", 1.0, "{:.3f}")
    figure("one answer re-evaluated, p99", timings[int(len(timings) * 0.99)], "ms", 16.0, "{:.3f}")

    for _ in range(98):
        new = session.add_repeat("/data/member")
        session.set_answer(f"{new}/mname", "x")
        session.set_answer(f"{new}/mage", "30")
    t0 = time.perf_counter()
    new = session.add_repeat("/data/member")
    figure("adding the 100th repeat instance", (time.perf_counter() - t0) * 1000, "ms", 10.0)
    session.set_answer(f"{new}/mage", "40")

    session.set_answer("/data/region", "r1")
    session.choices("/data/place")
    t0 = time.perf_counter()
    session.set_answer("/data/region", "r7")
    found = session.choices("/data/place")
    figure("re-filtering 50,000 choices", (time.perf_counter() - t0) * 1000, "ms", 50.0)
    assert len(found) == CHOICES // 50, len(found)

    rss = psutil.Process().memory_info().rss / 2**20
    figure("resident memory", rss, "MB", 300.0, "{:.0f}")

    run_mixed(convert, parse_xform, FormSession)
    return 0


if __name__ == "__main__":
    sys.exit(main())
