"""Form engine benchmark on a generated large questionnaire.

The form: 2,000 questions in 40 groups, 600 relevance expressions, 200 calculations,
100 constraints, a repeat filled 100 times and a 50,000-row choice list with a
choice_filter. Prints ``figure: value unit (target: ...) ok|MISS``; exits 0 even on MISS.
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
