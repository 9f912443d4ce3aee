from __future__ import annotations

import pytest

from protocols.transfer import library_load
from tests.protocols.factories import library_wipe


@pytest.fixture(scope="module")
def shipped_library(django_db_setup, django_db_blocker):
    """The library as `bin/setup` loads it from fixtures/library.json, loaded once per
    module (it takes a few hundred validated saves); tests must not change it."""
    with django_db_blocker.unblock():
        result = library_load()
    yield result
    with django_db_blocker.unblock():
        library_wipe()
