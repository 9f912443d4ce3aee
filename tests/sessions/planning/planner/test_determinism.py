"""Same input, same plan: also across processes, whatever Python's hash seed does to sets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import json
from core.vocabulary import Stage
from sessions.planning.planner import Plan, plan_build, plan_to_dict
from tests.sessions.planning.planner import cases
from tests.sessions.planning.planner.library import LIBRARY

plans = []
for triage in (cases.treat(), cases.treat(cases.pregnancy(24), cases.ANTICOAGULANTS)):
    for hypothesis in (cases.SARAH, cases.NEURAL, cases.HAMSTRING_ONLY):
        for stage in Stage:
            for minutes, first_visit in ((30, True), (60, False), (90, True)):
                result = plan_build(triage=triage, hypothesis=hypothesis, stage=stage,
                                    minutes=minutes, first_visit=first_visit, library=LIBRARY)
                plans.append(plan_to_dict(result) if isinstance(result, Plan) else repr(result))
print(json.dumps(plans))
"""


def run_with_hash_seed(seed: str) -> list:
    root = next(p for p in Path(__file__).resolve().parents if (p / "manage.py").exists())
    env = {
        **os.environ,
        "PYTHONHASHSEED": seed,
        "DJANGO_SETTINGS_MODULE": "sciatica_clinic.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_plans_are_identical_under_different_hash_seeds():
    first = run_with_hash_seed("1")
    assert first == run_with_hash_seed("4242")
    assert len(first) == 72
