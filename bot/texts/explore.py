"""Every sentence of the Explore flow and of the Explore issues it files."""

from bot.texts.steps import StepText

FLOW_TITLE = "Open a DSLP Explore issue"

TITLE = StepText(
    label="Title",
    question="Give the exploration a short title: what will you look at?",
    example="Usage patterns before cancellation",
)

OVERVIEW = StepText(
    label="Overview",
    question="What will you explore, with which data, and why does the Ask need it?",
    example=(
        "Look at the last 6 months of product usage of accounts that cancelled, to see whether "
        "usage drops before a cancellation and how early."
    ),
)

GOALS = StepText(
    label="Goals",
    question="Which questions should the exploration answer? One per line.",
    example="Does usage drop before cancellation?\nHow many weeks ahead is it visible?",
)

TIMEBOX = StepText(
    label="Time box",
    question="How long will you spend on it at most? Explorations are time-boxed.",
    example="3 days",
)

HINT_OVERVIEW = "What is explored, with which data, and why"
HINT_DISCOVERED = "One `### Insight N` per finding, then a TLDR when the exploration closes"
HINT_NEXT_STEPS = "Data, Explore or Experiment issues this leads to"
FIRST_INSIGHT = "Insight 1"
SECOND_INSIGHT = "Insight 2"
