"""The suite's own settings: property tests never fail for being slow on a busy machine."""

from __future__ import annotations

from hypothesis import settings


def test_property_tests_have_no_deadline() -> None:
    assert settings.default is not None and settings.default.deadline is None
