"""Every sentence of the Data flow and of the Data issues it files."""

from bot.texts.steps import StepText

FLOW_TITLE = "Open a DSLP Data issue"

KIND = StepText(
    label="Kind",
    question=(
        "Do you need to get an existing dataset from a source system, or create a new one "
        "from parent sources?"
    ),
    example="get",
)
KIND_GET = "Get an existing dataset"
KIND_CREATE = "Create a new dataset"

NAME = StepText(
    label="Dataset name",
    question="What is the dataset called? A few words; the issue title will be built from it.",
    example="CRM customer accounts",
)

DESCRIPTION = StepText(
    label="Dataset description",
    question="Describe the data you need: sample size, date range, columns, and any subsets.",
    example=(
        "All active business accounts, Jan 2021 to today (about 40k rows): account id, plan, "
        "seats, monthly usage, support tickets, cancellation date."
    ),
)

SOURCES = StepText(
    label="Source system or parent sources",
    question=(
        "Where does it come from? For an existing dataset: the source system (and its owner). "
        "For a new one: the parent datasets or sources it is built from."
    ),
    example="Salesforce (owner: Sales Ops), table Account, read through the data warehouse",
)

REFERENCE = StepText(
    label="Reference",
    question="Links to documentation, a data dictionary, or a ticket with the data owner.",
    example="https://wiki.example.com/crm/data-dictionary",
)

KNOWN_ISSUES = StepText(
    label="Known issues",
    question="Anything already known to be wrong, missing or hard to get (access!)?",
    example="Seats are missing before 2022; access needs approval from IT.",
)

TITLE_GET = "Get {name} Dataset"
TITLE_CREATE = "Create {name} Dataset"
HINT_DESCRIPTION = "Sample size, date range, columns, subsets"
HINT_SOURCE = "The source system, its owner, how to access it"
HINT_PARENTS = "The datasets or sources this one is built from"
HINT_REFERENCE = "Links to documentation, a data dictionary, tickets"
HINT_KNOWN_ISSUES = "Known data quality problems, gaps, access needs"
