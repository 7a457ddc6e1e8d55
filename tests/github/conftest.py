"""Fixtures for the GitHub adapter tests (the fake server lives in tests/fakes)."""

from tests.fakes.fixtures import fake_github, ghes_github

__all__ = ["fake_github", "ghes_github"]
