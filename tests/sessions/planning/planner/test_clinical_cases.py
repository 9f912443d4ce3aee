"""The table of clinical cases: what the planner does for the clients of clinical rules §2, §3 and §6."""

from __future__ import annotations

import pytest

from core.vocabulary import PRONE_POSITIONS, Position, Pressure, SessionPhase, Stage, Tool, Trait
from sessions.planning.planner import (
    REASON_GUARDING,
    REFUSAL_LENGTH_RESTRICTED,
    REFUSAL_NEXT_STEP_DO_NOT_TREAT,
    REFUSAL_NEXT_STEP_EMERGENCY,
    REFUSAL_NEXT_STEP_LENGTH_RESTRICTED,
    REFUSAL_NEXT_STEP_REFER,
    Plan,
    Refusal,
    RefusalKind,
    plan_build,
    plan_validate,
)
from tests.sessions.planning.planner import cases
from tests.sessions.planning.planner.invariants import violations
from tests.sessions.planning.planner.library import LIBRARY, technique


def build(triage, hypothesis, *, stage=Stage.MOBILITY, minutes=60, first_visit=False, acute=True):
    result = plan_build(
        triage=triage,
        hypothesis=hypothesis,
        stage=stage,
        minutes=minutes,
        first_visit=first_visit,
        library=LIBRARY,
        acute=acute,
    )
    if isinstance(result, Plan):
        assert violations(result, triage=triage, hypothesis=hypothesis, library=LIBRARY) == []
        assert plan_validate(result, triage=triage, hypothesis=hypothesis, library=LIBRARY) == []
    return result


def slugs(plan: Plan) -> list[str]:
    return [item.technique_slug for item in plan.items]


def traits_used(plan: Plan) -> set[Trait]:
    return {
        t
        for item in plan.items
        if not item.is_assessment
        for t in technique(item.technique_slug).traits
    }


def home_slugs(plan: Plan) -> list[str]:
    return [entry.exercise_slug for entry in plan.home_care]


def note_conditions(plan: Plan) -> list[str]:
    return [note.condition for note in plan.notes]


# Sarah, the demo case: piriformis positive, straight leg raise negative, through the 4 weeks.
SARAH_WEEKS = [
    (
        Stage.FIREFIGHTING,
        {
            "hubcap-static-compression",
            "sacral-scoring-friction",
            "diaphragmatic-breathing-education",
        },
        {"ice-pack"},
    ),
    (
        Stage.DECOMPRESSION,
        {"hamstring-pin-and-stretch", "hubcap-release"},
        {"seated-nerve-flossing"},
    ),
    (
        Stage.MOBILITY,
        {"frog-leg-position", "trigger-point-ischemic-compression"},
        {"figure-4-stretch"},
    ),
    (Stage.STRENGTHENING, {"gastrocnemius-soleus-release", "tapotement-glutes"}, {"bridge"}),
]


@pytest.mark.parametrize(("stage", "techniques", "home_care"), SARAH_WEEKS)
def test_sarah_gets_each_weeks_work_from_the_seed_case(stage, techniques, home_care):
    plan = build(cases.treat(), cases.SARAH, stage=stage)
    assert techniques <= set(slugs(plan))
    assert home_care <= set(home_slugs(plan))
    assert plan.stage == stage
    assert any("deep rotators" in item.reason for item in plan.items)


def test_sarah_in_week_one_gets_light_static_work_and_no_stretching():
    plan = build(cases.treat(), cases.SARAH, stage=Stage.FIREFIGHTING)
    assert {item.pressure for item in plan.items} == {Pressure.LIGHT}
    assert not traits_used(plan) & {
        Trait.STRETCH,
        Trait.VIGOROUS_FRICTION,
        Trait.NEURAL_MOBILISATION,
    }
    assert "hubcap-release" not in slugs(plan)
    stage_note = next(n for n in plan.notes if n.condition == "Stage 1 (firefighting)")
    assert "static compression only on the trochanteric attachments" in stage_note.text
    hubcap = next(i for i in plan.items if i.technique_slug == "hubcap-static-compression")
    assert "Week 1: static compression only, no friction." in hubcap.cautions
    assert not {"figure-4-stretch", "hamstring-chair-stretch", "cat-cow"} & set(home_slugs(plan))


def test_sarah_in_week_two_works_at_half_depth():
    plan = build(cases.treat(), cases.SARAH, stage=Stage.DECOMPRESSION)
    assert max(item.pressure for item in plan.items) == Pressure.MODERATE
    pin = next(i for i in plan.items if i.technique_slug == "hamstring-pin-and-stretch")
    assert pin.pressure == Pressure.MODERATE
    assert any("not the usual deep" in caution for caution in pin.cautions)


def test_sarah_in_a_longer_week_three_session_gets_side_lying_deep_rotator_access_too():
    plan = build(cases.treat(), cases.SARAH, stage=Stage.MOBILITY, minutes=90)
    assert {"frog-leg-position", "side-lying-deep-rotator-access"} <= set(slugs(plan))


def test_piriformis_work_carries_the_finding_as_its_reason():
    plan = build(cases.treat(), cases.SARAH, stage=Stage.MOBILITY)
    frog = next(i for i in plan.items if i.technique_slug == "frog-leg-position")
    assert frog.reason == (
        "Soft-tissue entrapment (piriformis): primary target, the deep rotators (also the "
        "hamstrings); week 3 intensity: the technique's full dose within this client's limits. "
        "New in Week 3 · Mobility."
    )


@pytest.mark.parametrize("stage", list(Stage))
def test_pregnancy_at_24_weeks_is_side_lying_with_a_visible_note(stage):
    triage = cases.treat(cases.pregnancy(24))
    plan = build(triage, cases.SARAH, stage=stage)
    positions = {item.position for item in plan.items}
    assert not positions & {Position.PRONE, Position.PRONE_FROG}
    assert plan.items[0].position == Position.SIDE_LYING
    assert max(item.pressure for item in plan.items) <= Pressure.MODERATE
    assert "Pregnancy, 24 weeks" in note_conditions(plan)
    assert "side-lying only" in plan.notes[0].text.lower()


def test_pregnancy_in_week_three_keeps_the_piriformis_work_side_lying_without_the_elbow():
    """Clinical rules §2.3: lighter pressure in pregnancy is moderate at most from a broad
    tool; the elbow's sustained trigger-point hold on the rotators is not for her."""
    plan = build(cases.treat(cases.pregnancy(24)), cases.SARAH, stage=Stage.MOBILITY)
    assert "side-lying-deep-rotator-access" not in slugs(plan)
    piriformis = next(
        i for i in plan.items if i.technique_slug == "hubcap-static-compression-side-lying"
    )
    assert piriformis.position == Position.SIDE_LYING
    assert piriformis.tool == Tool.PALM
    assert "primary target, the deep rotators" in piriformis.reason


@pytest.mark.parametrize("stage", list(Stage))
def test_anticoagulants_rule_out_deep_work_vigorous_friction_and_sustained_pressure(stage):
    plan = build(cases.treat(cases.ANTICOAGULANTS), cases.SARAH, stage=stage, minutes=90)
    assert max(item.pressure for item in plan.items) <= Pressure.MODERATE
    assert not traits_used(plan) & {Trait.VIGOROUS_FRICTION, Trait.SUSTAINED_PRESSURE}
    assert "tennis-ball-piriformis" not in home_slugs(plan)
    assert "Anticoagulants" in note_conditions(plan)


@pytest.mark.parametrize("stage", list(Stage))
def test_osteoporosis_at_72_is_gentle_without_elbow_work(stage):
    triage = cases.treat(cases.OSTEOPOROSIS, cases.older_adult(72))
    plan = build(triage, cases.SARAH, stage=stage, minutes=60)
    assert {item.pressure for item in plan.items if item.pressure} == {Pressure.LIGHT}
    assert Tool.ELBOW not in {item.tool for item in plan.items}
    assert {"Osteoporosis", "Older adult, 72"} <= set(note_conditions(plan))


def test_osteoporosis_at_72_cannot_book_ninety_minutes():
    triage = cases.treat(cases.OSTEOPOROSIS, cases.older_adult(72))
    refusal = build(triage, cases.SARAH, minutes=90)
    assert refusal == Refusal(
        kind=RefusalKind.SESSION_LENGTH,
        reasons=(REFUSAL_LENGTH_RESTRICTED.format(limit=60, minutes=90),),
        next_step=REFUSAL_NEXT_STEP_LENGTH_RESTRICTED.format(limit=60),
    )


@pytest.mark.parametrize("stage", [Stage.DECOMPRESSION, Stage.MOBILITY])
def test_diabetes_with_neuropathy_reduces_pressure_and_says_why(stage):
    plan = build(cases.treat(cases.DIABETES_NEUROPATHY), cases.HAMSTRING_ONLY, stage=stage)
    assert max(item.pressure for item in plan.items) <= Pressure.MODERATE
    note = next(n for n in plan.notes if n.condition == "Diabetes with peripheral neuropathy")
    assert "check the skin" in note.text
    capped = [i for i in plan.items if any("Diabetes" in c for c in i.cautions)]
    assert capped, "items held below their usual pressure name the screening condition"


@pytest.mark.parametrize("stage", [Stage.DECOMPRESSION, Stage.MOBILITY, Stage.STRENGTHENING])
def test_neural_compression_gives_gentle_neural_work_and_suggests_follow_up(stage):
    plan = build(cases.treat(), cases.NEURAL, stage=stage)
    assert {"sciatic-nerve-flossing", "guarding-relief-rocking"} <= set(slugs(plan))
    flossing = next(i for i in plan.items if i.technique_slug == "sciatic-nerve-flossing")
    assert flossing.reason.startswith(
        "Neural involvement, likely compression (disc): primary target, the sciatic nerve, by "
        f"gentle neural mobilisation; week {int(stage)} intensity: "
    )
    assert not traits_used(plan) & {Trait.AGGRESSIVE_STRETCH, Trait.SUSTAINED_PRESSURE}
    assert max(item.pressure for item in plan.items) <= Pressure.MODERATE
    assert plan.medical_follow_up
    note = next(n for n in plan.notes if n.condition == "Neural findings")
    assert "no aggressive stretching; suggest medical follow-up" in note.text
    assert "outside massage scope" in note.text


def test_neural_compression_in_week_one_relieves_guarding_before_any_flossing():
    plan = build(cases.treat(), cases.NEURAL, stage=Stage.FIREFIGHTING)
    assert "guarding-relief-rocking" in slugs(plan)
    assert "sciatic-nerve-flossing" not in slugs(plan)
    guarding = next(i for i in plan.items if i.technique_slug == "guarding-relief-rocking")
    assert guarding.reason == REASON_GUARDING.format(hypothesis=cases.NEURAL.kind.label)


def test_irritation_of_unclear_source_is_cautious_and_reassessed():
    plan = build(cases.treat(), cases.IRRITATION, stage=Stage.MOBILITY)
    assert max(item.pressure for item in plan.items) <= Pressure.MODERATE
    note = next(n for n in plan.notes if n.condition == "Nerve irritation, source unclear")
    assert "reassess at the next visit" in note.text


@pytest.mark.parametrize("stage", [Stage.DECOMPRESSION, Stage.MOBILITY])
def test_hamstring_only_findings_favour_pin_and_stretch_and_posterior_thigh_work(stage):
    plan = build(cases.treat(), cases.HAMSTRING_ONLY, stage=stage, minutes=90)
    assert "hamstring-pin-and-stretch" in slugs(plan)
    assert "posterior-thigh-stripping" in slugs(plan) or stage == Stage.MOBILITY
    targeted = next(p for p in plan.phases if p.phase == SessionPhase.TARGETED)
    hamstring_items = [i for i in targeted.items if "hamstrings" in i.reason]
    assert len(hamstring_items) >= 2


def families(plan: Plan) -> list[str]:
    return [technique(i.technique_slug).family for i in plan.items if not i.is_assessment]


@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize(
    "conditions",
    [(), (cases.pregnancy(24),), (cases.HIGH_BLOOD_PRESSURE,), (cases.OSTEOPOROSIS,)],
    ids=["no-condition", "pregnancy", "high-blood-pressure", "osteoporosis"],
)
def test_a_long_plan_never_holds_two_versions_of_the_same_work(conditions, stage):
    """The side-lying and supine versions of a stretch, or the prone and side-lying
    versions of a warm-up, are one piece of work: 90 minutes still holds only one."""
    plan = build(cases.treat(*conditions), cases.SARAH, stage=stage, minutes=90, first_visit=True)
    assert len(families(plan)) == len(set(families(plan)))


def test_pregnancy_gets_the_side_lying_version_of_the_warm_up_and_only_that_one():
    plan = build(cases.treat(cases.pregnancy(24)), cases.SARAH, stage=Stage.MOBILITY, minutes=90)
    assert {"side-lying-effleurage", "side-lying-myofascial-release"} <= set(slugs(plan))
    assert not {"gentle-effleurage", "broad-myofascial-release"} & set(slugs(plan))


def test_a_ninety_minute_plan_stretches_in_one_position_only():
    plan = build(cases.treat(), cases.SARAH, stage=Stage.MOBILITY, minutes=90, first_visit=True)
    stretches = {"gentle-stretching", "gentle-side-lying-stretch"} & set(slugs(plan))
    assert len(stretches) == 1


def face_down_minutes(plan: Plan) -> int:
    return sum(i.minutes for i in plan.items if i.position in PRONE_POSITIONS)


@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize(
    ("conditions", "minutes", "most_face_down"),
    [
        pytest.param((cases.HIGH_BLOOD_PRESSURE,), 60, 20, id="high-blood-pressure"),
        pytest.param((cases.HIGH_BLOOD_PRESSURE, cases.pregnancy(24)), 60, 0, id="with-pregnancy"),
        pytest.param((cases.HIGH_BLOOD_PRESSURE,), 90, 20, id="90-minute-session"),
        pytest.param((cases.HIGH_BLOOD_PRESSURE, cases.older_adult(70)), 60, 20, id="older-adult"),
    ],
)
def test_high_blood_pressure_limits_all_face_down_minutes_together(
    conditions, minutes, most_face_down, stage
):
    """clinical rules §2.3 "avoid prolonged prone": one limit on prone and frog-leg added up, so a
    long plan cannot hold 20 minutes prone and more again in the frog position."""
    plan = build(cases.treat(*conditions), cases.SARAH, stage=stage, minutes=minutes)
    assert isinstance(plan, Plan)
    assert face_down_minutes(plan) <= most_face_down
    assert "High blood pressure" in note_conditions(plan)


def test_previous_back_surgery_rules_out_direct_lumbar_work():
    plan = build(
        cases.treat(cases.BACK_SURGERY), cases.UNDETERMINED, stage=Stage.MOBILITY, minutes=90
    )
    assert "lumbar-paraspinal-release" not in slugs(plan)
    assert "Previous back surgery" in note_conditions(plan)


def test_no_hypothesis_yet_gives_a_general_plan_with_a_note():
    plan = build(cases.treat(), cases.UNDETERMINED, stage=Stage.DECOMPRESSION)
    assert "No working hypothesis yet" in note_conditions(plan)


@pytest.mark.parametrize("flag", sorted(cases.RED_FLAGS))
def test_each_red_flag_refers_now_with_its_reason(flag):
    refusal = build(cases.refer_now(flag), cases.SARAH)
    reason, emergency = cases.RED_FLAGS[flag]
    assert refusal == Refusal(
        kind=RefusalKind.REFER_NOW,
        reasons=(reason,),
        next_step=REFUSAL_NEXT_STEP_EMERGENCY if emergency else REFUSAL_NEXT_STEP_REFER,
        referral=True,
        emergency=emergency,
    )


@pytest.mark.parametrize("condition", sorted(cases.ABSOLUTE_CONTRAINDICATIONS))
def test_each_absolute_contraindication_stops_this_visit(condition):
    refusal = build(cases.do_not_treat(condition), cases.SARAH, first_visit=True)
    assert isinstance(refusal, Refusal)
    assert refusal.kind == RefusalKind.DO_NOT_TREAT
    assert refusal.reasons == (cases.ABSOLUTE_CONTRAINDICATIONS[condition],)
    expected = (
        REFUSAL_NEXT_STEP_EMERGENCY
        if condition == "cauda_equina"
        else REFUSAL_NEXT_STEP_DO_NOT_TREAT
    )
    assert refusal.next_step == expected


@pytest.mark.parametrize(
    ("minutes", "assessment"), [(30, 8), (45, 11), (60, 15), (75, 19), (90, 23)]
)
def test_a_first_visit_opens_with_the_assessment_block_scaled_to_the_length(minutes, assessment):
    plan = build(cases.treat(), cases.SARAH, minutes=minutes, first_visit=True)
    first = plan.phases[0]
    assert first.phase == SessionPhase.ASSESSMENT
    assert [item.is_assessment for item in first.items] == [True]
    assert first.minutes == assessment
    assert sum(item.minutes for item in plan.items) == minutes


@pytest.mark.parametrize("minutes", [30, 60, 90])
@pytest.mark.parametrize("stage", list(Stage))
def test_a_later_visit_starts_with_the_warm_up(minutes, stage):
    plan = build(cases.treat(), cases.SARAH, stage=stage, minutes=minutes)
    assert plan.phases[0].phase == SessionPhase.WARM_UP
    assert plan.items[0].pressure == Pressure.LIGHT
    assert sum(item.minutes for item in plan.items) == minutes


def test_a_thirty_minute_visit_keeps_warm_up_targeted_work_and_education():
    plan = build(cases.treat(), cases.SARAH, minutes=30, first_visit=True)
    phases = [phase.phase for phase in plan.phases]
    assert phases == list(SessionPhase)
    warm_up = next(p for p in plan.phases if p.phase == SessionPhase.WARM_UP)
    assert warm_up.minutes >= LIBRARY.template.min_warm_up_minutes
    integration = next(p for p in plan.phases if p.phase == SessionPhase.INTEGRATION)
    assert any(Trait.EDUCATION in technique(i.technique_slug).traits for i in integration.items)


@pytest.mark.parametrize(("acute", "expected"), [(True, "Acute flare"), (False, "Chronic")])
def test_frequency_advice_follows_acute_or_chronic(acute, expected):
    plan = build(cases.treat(), cases.SARAH, acute=acute)
    assert plan.frequency.text.startswith(expected)


def test_an_acute_first_week_uses_ice_and_a_chronic_one_heat():
    acute = build(cases.treat(), cases.SARAH, stage=Stage.FIREFIGHTING, acute=True)
    chronic = build(cases.treat(), cases.SARAH, stage=Stage.FIREFIGHTING, acute=False)
    assert "ice-pack" in home_slugs(acute)
    assert "heat-application" not in slugs(acute)
    assert "ice-pack" not in home_slugs(chronic)


def test_the_run_sheet_marks_position_changes_and_clock_times():
    plan = build(cases.treat(), cases.SARAH, stage=Stage.MOBILITY, minutes=90, first_visit=True)
    rows = plan.run_sheet()
    assert rows[0].starts_at == 0 and rows[-1].ends_at == 90
    assert all(a.ends_at == b.starts_at for a, b in zip(rows, rows[1:], strict=False))
    changes = [row.item.position for row in rows if row.position_change]
    assert changes == [Position.PRONE, Position.PRONE_FROG, Position.SUPINE, Position.SEATED]
    assert not rows[0].position_change  # the assessment block has no position
