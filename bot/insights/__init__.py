"""Lifecycle insights: the DSLP's three measures (iteration speed, success rates, time by
work type), hand-offs and aging work, computed from the repository's issue-event history."""
