"""Time the session planner: median and p95 over 1,000 plans of 90 minutes, full library.

Run: .venv/bin/python bench/planner.py   (writes bench/results/planner.md)
"""

from __future__ import annotations

import gc
import itertools
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciatica_clinic.settings")

from protocols.vocabulary import Stage  # noqa: E402
from sessions.planner import Plan, plan_build  # noqa: E402
from tests.planner import cases  # noqa: E402
from tests.planner.library import LIBRARY  # noqa: E402

PLANS = 1000
MINUTES = 90
# Clients a clinic sees: the seed case, the other hypotheses, and DOMAIN 2.3 conditions.
TRIAGES = [
    cases.treat(),
    cases.treat(cases.pregnancy(24)),
    cases.treat(cases.ANTICOAGULANTS),
    cases.treat(cases.DIABETES_NEUROPATHY, cases.MUSCLE_RELAXANTS),
    cases.treat(cases.HIGH_BLOOD_PRESSURE, cases.BACK_SURGERY),
]
HYPOTHESES = [cases.SARAH, cases.NEURAL, cases.HAMSTRING_ONLY, cases.IRRITATION, cases.UNDETERMINED]


def main() -> None:
    inputs = list(itertools.product(TRIAGES, HYPOTHESES, list(Stage), (True, False)))
    for triage, hypothesis, stage, first_visit in inputs:  # warm-up run, not timed
        plan_build(
            triage=triage,
            hypothesis=hypothesis,
            stage=stage,
            minutes=MINUTES,
            first_visit=first_visit,
            library=LIBRARY,
        )
    timings = []
    plans = 0
    gc.collect()
    for n in range(PLANS):
        triage, hypothesis, stage, first_visit = inputs[n % len(inputs)]
        started = time.perf_counter_ns()
        result = plan_build(
            triage=triage,
            hypothesis=hypothesis,
            stage=stage,
            minutes=MINUTES,
            first_visit=first_visit,
            library=LIBRARY,
        )
        timings.append(time.perf_counter_ns() - started)
        plans += isinstance(result, Plan)
    ms = sorted(t / 1e6 for t in timings)
    median = statistics.median(ms)
    p95 = ms[int(len(ms) * 0.95) - 1]
    report = f"""# Planner benchmark

`bench/planner.py`, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()},
{platform.machine()}, {os.cpu_count()} cores.

{PLANS} calls of `plan_build` for {MINUTES}-minute sessions with the full test library
({len(LIBRARY.techniques)} techniques, {len(LIBRARY.exercises)} home-care exercises), cycling over
{len(inputs)} inputs: {len(TRIAGES)} screening results x {len(HYPOTHESES)} hypotheses x 4 stages x
first/later visit. {plans} gave a plan, {PLANS - plans} a refusal.

| statistic | ms per plan |
| --- | --- |
| median | {median:.2f} |
| p95 | {p95:.2f} |
| min | {ms[0]:.2f} |
| max | {ms[-1]:.2f} |
| total for {PLANS} | {sum(ms):.0f} |
"""
    out = ROOT / "bench" / "results" / "planner.md"
    out.write_text(report)
    print(report)


if __name__ == "__main__":
    main()
