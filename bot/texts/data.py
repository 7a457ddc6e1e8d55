"""Every sentence of the Data flow and of the Data issues it files."""

FLOW_TITLE = "Open a DSLP Data issue"

KIND_LABEL = "Kind"
KIND_QUESTION = (
    "Do you need to get an existing dataset from a source system, or create a new one "
    "from parent sources?"
)
KIND_EXAMPLE = "get"
KIND_GET = "Get an existing dataset"
KIND_CREATE = "Create a new dataset"

NAME_LABEL = "Dataset name"
NAME_QUESTION = "What is the dataset called? A few words; the issue title will be built from it."
NAME_EXAMPLE = "CRM customer accounts"

DESCRIPTION_LABEL = "Dataset description"
DESCRIPTION_QUESTION = (
    "Describe the data you need: sample size, date range, columns, and any subsets."
)
DESCRIPTION_EXAMPLE = (
    "All active business accounts, Jan 2021 to today (about 40k rows): account id, plan, "
    "seats, monthly usage, support tickets, cancellation date."
)

SOURCES_LABEL = "Source system or parent sources"
SOURCES_QUESTION = (
    "Where does it come from? For an existing dataset: the source system (and its owner). "
    "For a new one: the parent datasets or sources it is built from."
)
SOURCES_EXAMPLE = "Salesforce (owner: Sales Ops), table Account, read through the data warehouse"

REFERENCE_LABEL = "Reference"
REFERENCE_QUESTION = "Links to documentation, a data dictionary, or a ticket with the data owner."
REFERENCE_EXAMPLE = "https://wiki.example.com/crm/data-dictionary"

KNOWN_ISSUES_LABEL = "Known issues"
KNOWN_ISSUES_QUESTION = "Anything already known to be wrong, missing or hard to get (access!)?"
KNOWN_ISSUES_EXAMPLE = "Seats are missing before 2022; access needs approval from IT."

TITLE_GET = "Get {name} Dataset"
TITLE_CREATE = "Create {name} Dataset"
HINT_DESCRIPTION = "Sample size, date range, columns, subsets"
HINT_SOURCE = "The source system, its owner, how to access it"
HINT_PARENTS = "The datasets or sources this one is built from"
HINT_REFERENCE = "Links to documentation, a data dictionary, tickets"
HINT_KNOWN_ISSUES = "Known data quality problems, gaps, access needs"
