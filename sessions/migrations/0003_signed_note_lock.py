"""Signed notes are immutable in the database too (see sessions/models/note_lock.py)."""

from django.db import migrations

from sessions.models.note_lock import note_lock_install, note_lock_remove


class Migration(migrations.Migration):
    dependencies = [("visits", "0002_session_notes")]

    operations = [migrations.RunPython(note_lock_install, note_lock_remove)]
