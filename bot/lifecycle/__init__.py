"""The DSLP lifecycle in the core: linked issues, their Ask's lists, experiment outcomes."""
