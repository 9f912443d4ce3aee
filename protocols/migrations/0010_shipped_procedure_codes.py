from django.db import migrations
from django.utils import timezone

# The shipped library's procedure codes (fixtures/library.json at this migration; clinical
# rules §9.2). A library loaded before the field existed gets them here, because
# `library_load` only adds missing items and never changes existing ones.
SHIPPED_PROCEDURE_CODES = {
    "97124": (
        "effleurage",
        "effleurage-side-lying",
        "gluteus-medius-minimus-stripping",
        "posterior-thigh-stripping",
        "hamstring-light-compression",
        "hamstring-light-side-lying",
        "passive-hip-extension-compression",
        "gastrocnemius-soleus-release",
        "tapotement-glutes",
    ),
    "97140": (
        "broad-myofascial-release",
        "broad-myofascial-release-side-lying",
        "sacral-friction-light",
        "sacral-friction-light-side-lying",
        "sacral-scoring-friction",
        "sacrotuberous-ligament-release",
        "hubcap-static-compression",
        "hubcap-static-compression-side-lying",
        "hubcap-circular-friction",
        "trigger-point-ischemic-compression",
        "trigger-point-compression-lumbar",
        "hamstring-pin-and-stretch",
        "frog-leg-position",
        "it-band-tfl-release",
        "it-band-cross-fibre-friction",
        "trochanter-circular-friction",
        "deep-rotator-access-side-lying",
    ),
    "97112": (
        "sciatic-nerve-flossing-soft-tissue",
        "sciatic-nerve-slider",
        "movement-re-education",
        "diaphragmatic-breathing",
    ),
    "97110": (
        "gentle-stretching",
        "home-care-instruction",
    ),
}
CODE_REASON = "Procedure code added for billing"


def procedure_codes_ship(apps, schema_editor):
    """Give each shipped technique its code where it has none yet; each change goes into the
    history."""
    Technique = apps.get_model("protocols", "Technique")
    HistoricalTechnique = apps.get_model("protocols", "HistoricalTechnique")
    for code, slugs in SHIPPED_PROCEDURE_CODES.items():
        for technique in Technique.objects.filter(slug__in=slugs, procedure_code=""):
            technique.procedure_code = code
            technique.save(update_fields=["procedure_code"])
            HistoricalTechnique.objects.create(
                **{
                    f.attname: getattr(technique, f.attname)
                    for f in Technique._meta.concrete_fields
                },
                history_date=timezone.now(),
                history_type="~",
                history_change_reason=CODE_REASON,
            )


class Migration(migrations.Migration):
    # Its own migration, like 0005: rows written beside a schema change hold up PostgreSQL.
    dependencies = [
        ("protocols", "0009_technique_procedure_code"),
    ]

    operations = [
        migrations.RunPython(procedure_codes_ship, migrations.RunPython.noop),
    ]
