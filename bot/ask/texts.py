"""What an Ask filed with nobody at the keyboard says back (to a workflow, which shows it)."""

from __future__ import annotations

NOT_FILED = "The Ask was not filed: {problems}"
PROBLEM = "{label}: {error}"
NO_REQUESTER = "The Ask was not filed: the step needs the person the Ask is for (requester)."
TRACKER_DOWN = "The Ask was not filed: {reason} Run the workflow again later."
TRACKER_REFUSED = "The Ask was not filed: {reason}"
COACHING_NOTE = "{label}: {advice}"
