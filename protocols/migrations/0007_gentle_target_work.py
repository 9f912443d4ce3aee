from django.db import migrations
from django.utils import timezone

# Week 1's gentle forms of the hypotheses' own work (clinical rules §6.2): a nerve slider,
# distinct from flossing, and light hamstring work (prone, and side-lying for clients who
# may not lie prone). fixtures/library.json ships the same items; `library_load` adds them
# to a database loaded from the fixture, and this migration to a clinic's existing library
# whatever runs after it. A fresh, empty database is left alone: the library load fills it.
ADDED_REASON = "Added by the update: gentle week-1 work for the working hypothesis's target"

HAMSTRING_ANATOMY = "Hamstrings (biceps femoris, semitendinosus, semimembranosus)"

TECHNIQUES = (
    {
        "name": "Light hamstring compression and broad stroking",
        "slug": "hamstring-light-compression",
        "phase": "targeted",
        "anatomy": HAMSTRING_ANATOMY,
        "position": "prone",
        "tool": "palm",
        "min_pressure": 1,
        "max_pressure": 1,
        "default_minutes": 4,
        "min_minutes": 2,
        "max_minutes": 7,
        "holds": "Palm compressions: a breath or two each",
        "cautions": (
            "Light only: week 1's form of the hamstring work, to ease tone without provoking "
            "the nerve. No stretch and no stripping at depth; keep out of the hollow behind "
            "the knee and off the middle of the thigh where the nerve runs. Ease off at once "
            "if tingling or a 'zing' appears."
        ),
        "traits": [],
        "stages": [1, 2, 3, 4],
        "findings": ["hamstring"],
        "variant_of": "posterior-thigh-stripping",
        "order": 315,
        "steps": (
            "Client prone with a bolster under the ankles; uncover only the back of the thigh.",
            "With a relaxed, flat palm, stroke slowly from just above the knee up to the "
            "sitting bone along the outer, middle and inner lines.",
            "Add gentle palm compressions along each line: sink in only as far as the tissue "
            "lets you, hold for a breath or two, then release.",
            "Leave the knee resting on the bolster: no stretch and no active movement.",
            "Ask about the leg throughout and lighten at once if it tingles.",
        ),
    },
    {
        "name": "Light hamstring work, side-lying",
        "slug": "hamstring-light-side-lying",
        "phase": "targeted",
        "anatomy": HAMSTRING_ANATOMY,
        "position": "side_lying",
        "tool": "palm",
        "min_pressure": 1,
        "max_pressure": 1,
        "default_minutes": 4,
        "min_minutes": 2,
        "max_minutes": 7,
        "holds": "Palm compressions: a breath or two each",
        "cautions": (
            "The same light dose as the prone version, for clients who should not lie on "
            "their front (pregnancy, high blood pressure). Support the top leg on pillows so "
            "the hip and lower back stay level; no stretch, nothing behind the knee."
        ),
        "traits": [],
        "stages": [1, 2, 3, 4],
        "findings": ["hamstring"],
        "variant_of": "posterior-thigh-stripping",
        "order": 316,
        "steps": (
            "Client side-lying, painful side up, the top leg bent and resting on pillows at "
            "hip height, a pillow between the knees.",
            "Standing behind the client, stroke slowly up the back of the top thigh with a "
            "flat palm, from above the knee to the sitting bone.",
            "Add gentle palm compressions along the outer, middle and inner lines, a breath "
            "or two each.",
            "No stretch and no deep pressure; check in about the leg throughout.",
        ),
    },
    {
        "name": "Sciatic nerve slider",
        "slug": "sciatic-nerve-slider",
        "phase": "targeted",
        "anatomy": "Sciatic nerve path from the buttock to the foot",
        "position": "supine",
        "tool": "hands",
        "min_pressure": 1,
        "max_pressure": 1,
        "default_minutes": 4,
        "min_minutes": 2,
        "max_minutes": 6,
        "holds": "",
        "cautions": (
            "A slider, not flossing or a stretch: as one end of the nerve is moved the other "
            "is eased, so the nerve glides without being put under tension. Keep every "
            "movement small and inside the range where symptoms start; stop if tingling or "
            "shooting pain starts or lingers afterwards. From about 20 weeks of pregnancy "
            "work with the client semi-reclined, not flat."
        ),
        "traits": ["neural_slider"],
        "stages": [1, 2, 3, 4],
        "findings": ["neural"],
        "variant_of": "sciatic-nerve-flossing-soft-tissue",
        "order": 605,
        "steps": (
            "Client supine, a pillow under the head. Ask where the leg symptoms are today "
            "and note how far the straight leg lifts before they start: today's limit.",
            "Support the leg under the knee and the heel, hip bent to about 45 degrees and "
            "knee bent.",
            "Straighten the knee slowly while the client looks up and lets the head tip "
            "back; then bend the knee as the client tucks the chin. One end eases as the "
            "other moves: the nerve slides without tension.",
            "Keep the movements small, smooth and well short of today's limit: 10 slow "
            "repetitions.",
            "Rest, ask about tingling, and repeat once or twice only if nothing has increased.",
        ),
    },
)


def gentle_target_work_add(apps, schema_editor):
    """Add each item to a library that already holds the shipped ones, unless its slug or
    name is taken (the manager's own item wins); each addition goes into the history."""
    Technique = apps.get_model("protocols", "Technique")
    TechniqueStep = apps.get_model("protocols", "TechniqueStep")
    HistoricalTechnique = apps.get_model("protocols", "HistoricalTechnique")
    HistoricalTechniqueStep = apps.get_model("protocols", "HistoricalTechniqueStep")
    if not Technique.objects.exists():
        return
    slugs = set(Technique.objects.values_list("slug", flat=True))
    for data in TECHNIQUES:
        fields = {key: value for key, value in data.items() if key != "steps"}
        if fields["slug"] in slugs or Technique.objects.filter(name=fields["name"]).exists():
            continue
        if fields["variant_of"] not in slugs:
            fields["variant_of"] = ""
        technique = Technique.objects.create(**fields)
        now = timezone.now()
        HistoricalTechnique.objects.create(
            **{f.attname: getattr(technique, f.attname) for f in Technique._meta.concrete_fields},
            history_date=now,
            history_type="+",
            history_change_reason=ADDED_REASON,
        )
        for order, text in enumerate(data["steps"], start=1):
            step = TechniqueStep.objects.create(technique=technique, order=order, text=text)
            HistoricalTechniqueStep.objects.create(
                **{
                    f.attname: getattr(step, f.attname) for f in TechniqueStep._meta.concrete_fields
                },
                history_date=now,
                history_type="+",
                history_change_reason=ADDED_REASON,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("protocols", "0006_text_limits"),
    ]

    operations = [
        migrations.RunPython(gentle_target_work_add, migrations.RunPython.noop),
    ]
