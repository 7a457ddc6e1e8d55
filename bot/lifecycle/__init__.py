"""The DSLP lifecycle: linked issues and their Ask, outcomes, and who must hear of each step."""
