"""The shipped library holds every technique and exercise the clinical rules name, complete and
clinically sound (clinical rules §4-7)."""

from __future__ import annotations

import pytest

from core.vocabulary import (
    PRONE_POSITIONS,
    LibraryPhase,
    Position,
    Pressure,
    SessionPhase,
    Stage,
    Tool,
    Trait,
)
from protocols.library import library_snapshot
from protocols.models import CareStage, HomeCareExercise, SessionTemplate, Technique

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_library")]

# clinical rules §4: the ten core techniques (hubcap in its two forms) and every supporting one.
SEED_TECHNIQUES = {
    "sacral-scoring-friction": (LibraryPhase.SACRUM, Position.PRONE),
    "sacrotuberous-ligament-release": (LibraryPhase.SACRUM, Position.PRONE),
    "hubcap-static-compression": (LibraryPhase.DEEP_ROTATORS, Position.PRONE),
    "hubcap-circular-friction": (LibraryPhase.DEEP_ROTATORS, Position.PRONE),
    "gluteus-medius-minimus-stripping": (LibraryPhase.DEEP_ROTATORS, Position.PRONE),
    "hamstring-pin-and-stretch": (LibraryPhase.HAMSTRINGS, Position.PRONE),
    "frog-leg-position": (LibraryPhase.ADVANCED_POSITIONING, Position.PRONE_FROG),
    "passive-hip-extension-compression": (LibraryPhase.ADVANCED_POSITIONING, Position.PRONE),
    "it-band-tfl-release": (LibraryPhase.SIDE_LYING, Position.SIDE_LYING),
    "deep-rotator-access-side-lying": (LibraryPhase.SIDE_LYING, Position.SIDE_LYING),
    "gastrocnemius-soleus-release": (LibraryPhase.LOWER_LEG, Position.PRONE),
}
SUPPORTING_TECHNIQUES = {
    "effleurage": SessionPhase.WARM_UP,
    "broad-myofascial-release": SessionPhase.WARM_UP,
    "heat-application": SessionPhase.WARM_UP,
    "trigger-point-ischemic-compression": SessionPhase.TARGETED,
    "posterior-thigh-stripping": SessionPhase.TARGETED,
    "it-band-cross-fibre-friction": SessionPhase.TARGETED,
    "trochanter-circular-friction": SessionPhase.TARGETED,
    "sciatic-nerve-flossing-soft-tissue": SessionPhase.TARGETED,
    "tapotement-glutes": SessionPhase.TARGETED,
    "diaphragmatic-breathing": SessionPhase.TARGETED,
    "gentle-stretching": SessionPhase.INTEGRATION,
    "movement-re-education": SessionPhase.INTEGRATION,
    "home-care-instruction": SessionPhase.INTEGRATION,
    "activity-modification-advice": SessionPhase.INTEGRATION,
    "breathing-education": SessionPhase.INTEGRATION,
}
# clinical rules §7, every item.
EXERCISES = {
    "tennis-ball-piriformis-release",
    "foam-roll-it-band",
    "foam-roll-hamstrings",
    "foam-roll-calves",
    "foam-roll-glutes",
    "sciatic-nerve-glide",
    "seated-nerve-flossing",
    "modified-plank",
    "bird-dog",
    "side-plank",
    "dead-bug",
    "clamshell",
    "bridge",
    "monster-walk",
    "single-leg-deadlift",
    "figure-4-stretch",
    "hamstring-stretch-chair",
    "cat-cow",
    "ice-pack",
    "heat-pack",
    "hip-hinge-lifting",
    "posture-workstation",
    "diaphragmatic-breathing-home",
}


# Versions of the same work (a plan holds one of each family): main version -> variants.
FAMILIES = {
    "effleurage": {"effleurage-side-lying"},
    "broad-myofascial-release": {"broad-myofascial-release-side-lying"},
    "sacral-scoring-friction": {"sacral-friction-light", "sacral-friction-light-side-lying"},
    "hubcap-circular-friction": {
        "hubcap-static-compression",
        "hubcap-static-compression-side-lying",
        "trochanter-circular-friction",
    },
    "it-band-tfl-release": {"it-band-cross-fibre-friction"},
    # Week 1's gentle forms of the hypotheses' own work (clinical rules §6.2).
    "posterior-thigh-stripping": {"hamstring-light-compression", "hamstring-light-side-lying"},
    "sciatic-nerve-flossing-soft-tissue": {"sciatic-nerve-slider"},
}


def _technique(slug: str):
    return next(t for t in library_snapshot().techniques if t.slug == slug)


def _exercise(slug: str):
    return next(e for e in library_snapshot().exercises if e.slug == slug)


@pytest.mark.parametrize(("slug", "expected"), SEED_TECHNIQUES.items())
def test_seed_technique_has_its_phase_and_position(slug, expected):
    technique = Technique.objects.get(slug=slug)
    assert (technique.phase, technique.position) == expected


@pytest.mark.parametrize(("slug", "session_phase"), SUPPORTING_TECHNIQUES.items())
def test_supporting_technique_sits_in_its_session_block(slug, session_phase):
    assert LibraryPhase(Technique.objects.get(slug=slug).phase).session_phase == session_phase


def test_every_technique_is_complete():
    techniques = Technique.objects.prefetch_related("steps")
    assert set(SEED_TECHNIQUES) | set(SUPPORTING_TECHNIQUES) <= {t.slug for t in techniques}
    for technique in techniques:
        steps = list(technique.steps.all())
        assert len(steps) >= 4, technique.slug
        assert [s.order for s in steps] == list(range(1, len(steps) + 1)), technique.slug
        assert all(len(s.text.strip()) > 20 for s in steps), technique.slug
        assert len(technique.cautions.strip()) > 40, technique.slug
        assert technique.anatomy.strip(), technique.slug
        assert technique.full_clean() is None


def test_every_exercise_is_complete():
    exercises = HomeCareExercise.objects.all()
    assert {e.slug for e in exercises} >= EXERCISES
    for exercise in exercises:
        assert len(exercise.instruction_steps) >= 3, exercise.slug
        assert len(exercise.cautions.strip()) > 40, exercise.slug
        assert exercise.purpose.strip() and exercise.dosage, exercise.slug
        assert exercise.full_clean() is None


def test_the_versions_of_the_same_work_are_linked_to_their_main_version():
    techniques = {t.slug: t for t in library_snapshot().techniques}
    families: dict[str, set[str]] = {}
    for technique in techniques.values():
        if technique.variant_of:
            families.setdefault(technique.variant_of, set()).add(technique.slug)
    assert families == FAMILIES
    for main, variants in FAMILIES.items():
        assert not techniques[main].variant_of, main
        blocks = {LibraryPhase(techniques[s].phase).session_phase for s in {main, *variants}}
        assert len(blocks) == 1, main  # a swap on the adjust page stays in its block


def test_the_reference_template_is_the_60_minute_split():
    template = library_snapshot().template
    assert template.reference_minutes == 60
    assert template.assessment_minutes == 15
    assert dict(template.phase_minutes) == {
        SessionPhase.WARM_UP: 10,
        SessionPhase.TARGETED: 20,
        SessionPhase.INTEGRATION: 15,
    }
    assert (template.min_session_minutes, template.max_session_minutes) == (30, 90)
    assert 0 < template.min_warm_up_minutes <= 10
    assert SessionTemplate.objects.count() == 1


def test_four_stages_with_acute_and_chronic_frequency():
    stages = library_snapshot().stages
    assert [s.stage for s in stages] == list(Stage)
    first = stages[0]
    assert (first.acute_frequency.per_week, first.acute_frequency.weeks) == (2, 3)
    assert (
        first.acute_frequency.then_every_weeks_min,
        first.acute_frequency.then_every_weeks_max,
    ) == (2, 4)
    assert first.chronic_frequency.per_week == 1
    assert 8 <= first.chronic_frequency.weeks <= 12
    assert "No stretching" in first.home_care
    assert CareStage.objects.count() == 4


def test_week_one_hubcap_work_is_static_compression_only():
    week_one_hubcap = [
        t
        for t in library_snapshot().techniques
        if "hubcap" in t.slug and Stage.FIREFIGHTING in t.stages
    ]
    assert week_one_hubcap
    for technique in week_one_hubcap:
        assert Trait.STATIC_COMPRESSION in technique.traits
        assert Trait.VIGOROUS_FRICTION not in technique.traits
    assert Stage.FIREFIGHTING not in _technique("hubcap-circular-friction").stages


def test_week_one_has_no_brisk_friction_and_no_stretching():
    for technique in library_snapshot().techniques:
        if Stage.FIREFIGHTING in technique.stages:
            assert not technique.traits & {Trait.VIGOROUS_FRICTION, Trait.STRETCH}, technique.slug
    for exercise in library_snapshot().exercises:
        if Stage.FIREFIGHTING in exercise.stages:
            assert Trait.STRETCH not in exercise.traits, exercise.slug


def test_every_stretch_is_marked_as_stretching():
    for slug in ("figure-4-stretch", "hamstring-stretch-chair", "cat-cow"):
        assert Trait.STRETCH in _exercise(slug).traits
    assert Trait.STRETCH in _technique("gentle-stretching").traits


def test_warm_up_work_is_light():
    for technique in library_snapshot().techniques:
        if technique.phase == LibraryPhase.WARM_UP:
            assert technique.max_pressure == Pressure.LIGHT, technique.slug


def test_side_lying_deep_rotator_access_is_the_pregnancy_option():
    technique = _technique("deep-rotator-access-side-lying")
    assert technique.position == Position.SIDE_LYING
    assert "safest position" in technique.cautions and "pregnancy" in technique.cautions


@pytest.mark.parametrize(
    ("slug", "trait"),
    [
        ("trigger-point-ischemic-compression", Trait.SUSTAINED_PRESSURE),
        ("it-band-cross-fibre-friction", Trait.VIGOROUS_FRICTION),
        ("sciatic-nerve-flossing-soft-tissue", Trait.NEURAL_MOBILISATION),
        ("tapotement-glutes", Trait.PERCUSSION),
        ("heat-application", Trait.HEAT),
        ("trigger-point-compression-lumbar", Trait.LUMBAR_DIRECT),
    ],
)
def test_technique_carries_the_trait_restrictions_act_on(slug, trait):
    assert trait in _technique(slug).traits


def test_trigger_point_dose_is_written_down():
    assert "2 kg/cm²" in _technique("trigger-point-ischemic-compression").holds
    assert "60-90 s" in _technique("trigger-point-ischemic-compression").holds


def test_tapotement_waits_for_week_four():
    assert _technique("tapotement-glutes").stages == frozenset({Stage.STRENGTHENING})


def test_nerve_flossing_is_supine():
    assert _technique("sciatic-nerve-flossing-soft-tissue").position == Position.SUPINE


def test_elbow_work_is_never_light():
    """Elbow techniques are deep work; the osteoporosis rule forbids the elbow as a tool."""
    for technique in library_snapshot().techniques:
        if technique.tool == Tool.ELBOW:
            assert technique.min_pressure >= Pressure.MODERATE


def test_ice_is_for_week_one_and_heat_after_it():
    assert _exercise("ice-pack").stages == frozenset({Stage.FIREFIGHTING})
    assert Stage.FIREFIGHTING not in _exercise("heat-pack").stages
    assert Stage.FIREFIGHTING not in _technique("heat-application").stages
    assert "20 minutes" in _exercise("ice-pack").dosage
    assert "3 times a day" in _exercise("ice-pack").dosage


def test_plank_dose_is_30_seconds_three_times():
    assert _exercise("modified-plank").dosage.startswith("Hold 30 seconds · 3 sets")


def test_prone_exercises_are_marked_prone_and_hands_and_knees_ones_are_not():
    assert _exercise("modified-plank").position in PRONE_POSITIONS
    assert _exercise("cat-cow").position == Position.QUADRUPED
    assert _exercise("bird-dog").position == Position.QUADRUPED
