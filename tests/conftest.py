"""Shared test settings: the database URLs the contract tests run against."""
