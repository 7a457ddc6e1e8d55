"""Daily digests of stalled DSLP work: rules, schedules, rendering and commands."""
