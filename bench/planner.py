"""The session planner: median and p95 over 1,000 plans of 90 minutes with the full library.

Run: .venv/bin/python -m bench.planner   (writes bench/results/planner.md)
"""

from __future__ import annotations

import gc
import itertools
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciatica_clinic.settings")

from bench.common import Timing, write_section  # noqa: E402
from core.vocabulary import Stage  # noqa: E402
from sessions.planning.planner import Plan, plan_build  # noqa: E402
from tests.sessions.planning.planner import cases  # noqa: E402
from tests.sessions.planning.planner.library import LIBRARY  # noqa: E402

PLANS = 1000
MINUTES = 90
# Clients a clinic sees: the piriformis-entrapment case, the other hypotheses, and clinical rules §2.3 conditions.
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

    def build(n: int):
        triage, hypothesis, stage, first_visit = inputs[n % len(inputs)]
        return plan_build(
            triage=triage,
            hypothesis=hypothesis,
            stage=stage,
            minutes=MINUTES,
            first_visit=first_visit,
            library=LIBRARY,
        )

    for n in range(len(inputs)):  # warm-up, not timed
        build(n)
    gc.collect()
    samples, plans = [], 0
    for n in range(PLANS):
        started = time.perf_counter()
        plans += isinstance(build(n), Plan)
        samples.append((time.perf_counter() - started) * 1000)
    timing = Timing(tuple(samples))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    body = f"""
{PLANS} calls of `sessions.planning.planner.plan_build` for {MINUTES}-minute sessions with the full
test library (`tests/sessions/planning/planner/library.py`: {len(LIBRARY.techniques)} techniques,
{len(LIBRARY.exercises)} home-care exercises), cycling over {len(inputs)} inputs: {len(TRIAGES)}
screening results x {len(HYPOTHESES)} hypotheses x 4 stages x first or later visit.
{plans} gave a plan, {PLANS - plans} a refusal. Load average when done: {load} on 2 cores
(other processes running at the same time inflate the figures).

| statistic | ms per plan |
| --- | --- |
| median | {timing.median:.2f} |
| p95 | {timing.p95:.2f} |
| fastest | {min(samples):.2f} |
| slowest | {max(samples):.2f} |
| all {PLANS} | {sum(samples):.0f} |
"""
    path = write_section("planner", "Session planner", body)
    print(path.read_text())


if __name__ == "__main__":
    main()
