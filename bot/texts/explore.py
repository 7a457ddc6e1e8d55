"""Every sentence of the Explore flow and of the Explore issues it files."""

FLOW_TITLE = "Open a DSLP Explore issue"

TITLE_LABEL = "Title"
TITLE_QUESTION = "Give the exploration a short title: what will you look at?"
TITLE_EXAMPLE = "Usage patterns before cancellation"

OVERVIEW_LABEL = "Overview"
OVERVIEW_QUESTION = "What will you explore, with which data, and why does the Ask need it?"
OVERVIEW_EXAMPLE = (
    "Look at the last 6 months of product usage of accounts that cancelled, to see whether "
    "usage drops before a cancellation and how early."
)

GOALS_LABEL = "Goals"
GOALS_QUESTION = "Which questions should the exploration answer? One per line."
GOALS_EXAMPLE = "Does usage drop before cancellation?\nHow many weeks ahead is it visible?"

TIMEBOX_LABEL = "Time box"
TIMEBOX_QUESTION = "How long will you spend on it at most? Explorations are time-boxed."
TIMEBOX_EXAMPLE = "3 days"

HINT_OVERVIEW = "What is explored, with which data, and why"
HINT_DISCOVERED = "One `### Insight N` per finding, then a TLDR when the exploration closes"
HINT_NEXT_STEPS = "Data, Explore or Experiment issues this leads to"
FIRST_INSIGHT = "Insight 1"
SECOND_INSIGHT = "Insight 2"
