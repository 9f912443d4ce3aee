import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 costs ~0.4 s per user created; the security tests create several users each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
