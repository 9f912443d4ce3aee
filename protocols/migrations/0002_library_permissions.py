from django.db import migrations

from protocols.permissions import library_permissions_grant


def grant_library_permissions(apps, schema_editor):
    library_permissions_grant(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("protocols", "0001_initial"),
        ("sciatica_clinic", "0001_roles"),
    ]

    operations = [migrations.RunPython(grant_library_permissions, migrations.RunPython.noop)]
