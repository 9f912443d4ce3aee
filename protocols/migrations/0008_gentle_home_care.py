from django.db import migrations
from django.utils import timezone

# Home care that follows the working hypothesis at week 1's intensity (clinical rules
# §7.1): a nerve slider to do at home, distinct from flossing (which waits for week 2), and
# gentle hamstring movement without a stretch. fixtures/library.json ships the same items;
# `library_load` adds them to a database loaded from the fixture, and this migration to a
# clinic's existing library. A fresh, empty database is left alone: the library load fills it.
ADDED_REASON = "Added by the update: gentle week-1 home care for the working hypothesis's target"

EXERCISES = (
    {
        "name": "Sciatic nerve slider, lying down",
        "slug": "sciatic-nerve-slider-home",
        "purpose": "Lets an irritated sciatic nerve move gently again, without stretching it.",
        "instructions": (
            "Lie on your back with a pillow under your head and both knees bent, feet flat.\n"
            "Hold the back of the painful thigh with both hands and bring the knee up until "
            "the hip is bent about as far as a chair would bend it, or less if that is easier.\n"
            "Slowly straighten the knee part of the way while you let your head tip back into "
            "the pillow.\n"
            "Then bend the knee again while you gently nod your chin towards your chest.\n"
            "Keep both movements small and smooth: as one end of the nerve moves, the other "
            "end eases, so the nerve slides without being pulled tight."
        ),
        "reps": 10,
        "hold_seconds": None,
        "duration_minutes": None,
        "sets": 1,
        "times_per_day": 3,
        "dosage_note": "slowly, well inside what is comfortable",
        "cautions": (
            "A gentle slide, not a stretch and not flossing: never push into a pull and never "
            "hold the end of the movement. Stop if tingling or shooting pain starts, increases "
            "or lasts after you stop. From about 20 weeks of pregnancy do it propped up on "
            "pillows, not flat on your back."
        ),
        "position": "supine",
        "traits": ["neural_slider"],
        "stages": [1, 2, 3, 4],
        "findings": ["neural"],
        "order": 45,
    },
    {
        "name": "Heel slides for tight hamstrings",
        "slug": "hamstring-heel-slides",
        "purpose": (
            "Eases tight, guarded hamstrings by moving them gently through an easy range, "
            "with no stretch."
        ),
        "instructions": (
            "Lie on your back with both legs straight and a small pillow under your head.\n"
            "Slowly slide the heel of the painful leg along the floor towards your buttock, "
            "bending the knee only as far as is easy.\n"
            "Pause for a breath, letting the back of the thigh soften.\n"
            "Slide the heel back out until the leg lies straight again, breathing out as you go.\n"
            "Keep the movement smooth and unhurried; the back of the thigh should never feel "
            "pulled."
        ),
        "reps": 10,
        "hold_seconds": None,
        "duration_minutes": None,
        "sets": 1,
        "times_per_day": 2,
        "dosage_note": "",
        "cautions": (
            "No stretch: stop the slide wherever the back of the thigh starts to pull. Stop "
            "if tingling or shooting pain starts or increases. Later in pregnancy do it "
            "propped up on pillows, not flat on your back."
        ),
        "position": "supine",
        "traits": [],
        "stages": [1, 2],
        "findings": ["hamstring"],
        "order": 85,
    },
)


def gentle_home_care_add(apps, schema_editor):
    """Add each exercise to a library that already holds the shipped ones, unless its slug
    or name is taken (the manager's own exercise wins); each addition goes into the history."""
    Exercise = apps.get_model("protocols", "HomeCareExercise")
    HistoricalExercise = apps.get_model("protocols", "HistoricalHomeCareExercise")
    if not Exercise.objects.exists():
        return
    for data in EXERCISES:
        if (
            Exercise.objects.filter(slug=data["slug"]).exists()
            or Exercise.objects.filter(name=data["name"]).exists()
        ):
            continue
        exercise = Exercise.objects.create(**data)
        HistoricalExercise.objects.create(
            **{f.attname: getattr(exercise, f.attname) for f in Exercise._meta.concrete_fields},
            history_date=timezone.now(),
            history_type="+",
            history_change_reason=ADDED_REASON,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("protocols", "0007_gentle_target_work"),
    ]

    operations = [
        migrations.RunPython(gentle_home_care_add, migrations.RunPython.noop),
    ]
