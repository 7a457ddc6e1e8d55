"""The DSLP lifecycle: what happens to issues after they are filed, and who must hear of it."""
