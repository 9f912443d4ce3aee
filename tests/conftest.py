"""Fixtures shared by the test folders (the cast is in the root conftest.py)."""

from tests.core.live_http import live_app

__all__ = ["live_app"]
