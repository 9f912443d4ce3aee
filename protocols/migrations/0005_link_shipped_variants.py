from django.db import migrations
from django.utils import timezone

# The shipped library's families (fixtures/library.json at this migration): variant ->
# main version. Databases loaded before the field existed get the same links here,
# because `library_load` only adds missing items and never changes existing ones.
SHIPPED_VARIANTS = (
    ("effleurage-side-lying", "effleurage"),
    ("broad-myofascial-release-side-lying", "broad-myofascial-release"),
    ("sacral-friction-light", "sacral-scoring-friction"),
    ("sacral-friction-light-side-lying", "sacral-scoring-friction"),
    ("hubcap-static-compression", "hubcap-circular-friction"),
    ("hubcap-static-compression-side-lying", "hubcap-circular-friction"),
    ("trochanter-circular-friction", "hubcap-circular-friction"),
    ("it-band-cross-fibre-friction", "it-band-tfl-release"),
)
LINK_REASON = "Linked to the other versions of the same work"


def link_shipped_variants(apps, schema_editor):
    """Link each shipped variant to its main version when both are in the database and
    neither is already part of another family; each change goes into the history."""
    Technique = apps.get_model("protocols", "Technique")
    HistoricalTechnique = apps.get_model("protocols", "HistoricalTechnique")
    techniques = {t.slug: t for t in Technique.objects.all()}
    for variant_slug, main_slug in SHIPPED_VARIANTS:
        variant, main = techniques.get(variant_slug), techniques.get(main_slug)
        if variant is None or main is None or variant.variant_of or main.variant_of:
            continue
        if any(t.variant_of == variant_slug for t in techniques.values()):
            continue
        variant.variant_of = main_slug
        variant.save(update_fields=["variant_of"])
        HistoricalTechnique.objects.create(
            **{f.attname: getattr(variant, f.attname) for f in Technique._meta.concrete_fields},
            history_date=timezone.now(),
            history_type="~",
            history_change_reason=LINK_REASON,
        )


class Migration(migrations.Migration):
    # Its own migration: on PostgreSQL the rows it writes would otherwise hold up the
    # index 0004 creates at its end ("pending trigger events").
    dependencies = [
        ("protocols", "0004_technique_variant_of"),
    ]

    operations = [
        migrations.RunPython(link_shipped_variants, migrations.RunPython.noop),
    ]
