"""The DSLP lifecycle: GitHub events, the transition rules, and who must hear of each step."""
