from django.db import migrations, models


def _variant_of_field() -> models.SlugField:
    return models.SlugField(
        blank=True,
        help_text="The main version of the same work, when this is another version of it "
        "(e.g. side-lying, or week 1's gentler form). A plan never holds two versions.",
        max_length=80,
        verbose_name="variant of",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("protocols", "0003_care_stage_messages_and_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicaltechnique",
            name="variant_of",
            field=_variant_of_field(),
        ),
        migrations.AddField(
            model_name="technique",
            name="variant_of",
            field=_variant_of_field(),
        ),
        migrations.AddConstraint(
            model_name="technique",
            constraint=models.CheckConstraint(
                condition=~models.Q(variant_of=models.F("slug")),
                name="technique_not_a_variant_of_itself",
            ),
        ),
    ]
