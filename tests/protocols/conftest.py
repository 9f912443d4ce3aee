from __future__ import annotations

import pytest

from protocols.models import CareStage, HomeCareExercise, SessionTemplate, Technique, TechniqueStep
from protocols.transfer import library_load

LIBRARY_MODELS = (TechniqueStep, Technique, HomeCareExercise, CareStage, SessionTemplate)


def library_wipe() -> None:
    """Delete every library row and its history (tests only: the product never deletes)."""
    for model in LIBRARY_MODELS:
        model.objects.all().delete()
        model.history.all().delete()


@pytest.fixture(scope="module")
def shipped_library(django_db_setup, django_db_blocker):
    """The library as `bin/setup` loads it from fixtures/library.json, loaded once per
    module (it takes a few hundred validated saves); tests must not change it."""
    with django_db_blocker.unblock():
        result = library_load()
    yield result
    with django_db_blocker.unblock():
        library_wipe()
