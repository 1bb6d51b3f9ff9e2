"""Fixtures for the accounts tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):  # type: ignore[no-untyped-def]
    """PBKDF2 at production strength costs ~0.3 s a user; these tests make many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_oidc_environment(monkeypatch, settings):  # type: ignore[no-untyped-def]
    """The national login is off unless a test turns it on: nothing leaks in from the shell."""
    import os

    for name in list(os.environ):
        if name.startswith("DANVAN_OIDC_"):
            monkeypatch.delenv(name)
    settings.DANVAN_OIDC_PROVIDER = ""
