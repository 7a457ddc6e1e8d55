"""Every sentence of the Ask flow, in one place so wording can be reviewed."""

from bot.texts.steps import StepText

FLOW_TITLE = "Frame a DSLP Ask"

REPOSITORY = StepText(
    "Repository",
    "Which repository should this Ask be filed in?",
    "the project's repository, e.g. octo/churn",
)
TITLE = StepText(
    label="Title",
    question="Give the Ask a short title: the business problem in a few words.",
    example="Predict which customers will cancel next quarter",
)

PROBLEM = StepText(
    label="Problem statement",
    question=(
        "What is the business problem? Say who has it, what goes wrong today "
        "and why it matters now."
    ),
    example=(
        "Customer success finds out about cancellations only when they happen, "
        "so retention offers come too late to change anything."
    ),
)

OUTCOME = StepText(
    label="Desired outcome",
    question=(
        "What should be possible once this is solved? A user story works best: "
        "As a <persona>, I can <action>, so that <outcome>, instead of <what happens today>."
    ),
    example=(
        "As a customer success manager, I can see each Monday which accounts are likely to cancel, "
        "so that I call them first instead of working through the list alphabetically."
    ),
)

CURRENT_STATE = StepText(
    label="Current state",
    question=(
        "How is this handled today, and why is that not good enough? "
        "(This separates the need-to-have from the nice-to-have.)"
    ),
    example="A monthly spreadsheet of accounts with falling usage, built by hand.",
)

SUCCESS = StepText(
    label="Success criteria",
    question="What must be true for this Ask to count as solved?",
    example="At least 60% of cancelling accounts are flagged 30 days before they cancel.",
)

IMPACT = StepText(
    label="Impact",
    question=(
        "What is it worth if it works, and how much improvement is needed to make it worth doing?"
    ),
    example="Each point of retention is about 200k EUR a year; 2 points would pay for the project.",
)

METRICS = StepText(
    label="Metrics",
    question=(
        "Which metrics tell us it works? Name a business metric, a technical one, "
        "and a counter-balancing one that must not get worse."
    ),
    example=(
        "Business: monthly churn rate down from 3.1% to 2.5%. Technical: recall of at least 0.6 "
        "at 30 days. Counter-balance: no more than 50 calls per manager per week."
    ),
)

CONSTRAINTS = StepText(
    label="Constraints",
    question=(
        "What could block deployment? Latency, privacy or legal rules, interpretability, budget..."
    ),
    example="No personal data leaves the EU; managers must see why an account is flagged.",
)

DATA = StepText(
    label="Data",
    question="Which datasets or source systems might help, and who owns them?",
    example="CRM accounts table (Sales Ops), product usage events (Data Platform team).",
)

STAKEHOLDERS = StepText(
    label="Stakeholders",
    question="Who should be kept in the loop as this moves forward?",
    example="Head of Customer Success (decides), two CSM team leads (users).",
)

# Coaching: why an answer is weak and how to make it stronger.
TOO_SHORT_PROBLEM = (
    "A problem statement of one or two words leaves the data scientist guessing. "
    "Add who has the problem, what goes wrong today, and why it matters."
)
NO_PERSONA = (
    "Say who will use the result (a persona, e.g. 'As a claims handler, ...'), "
    "so the work is shaped around a real user."
)
NO_PROCESS_CHANGE = (
    "Say what changes in today's process (e.g. '... instead of checking every claim by hand'); "
    "a model that changes no decision changes nothing."
)
NO_NUMBER = (
    "Add a number or a direction (e.g. 'from 3.1% to 2.5%', 'at least 0.6', 'reduce by 10%'), "
    "so everyone can tell whether it worked."
)
NO_COUNTER_METRIC = (
    "Consider a counter-balancing metric: something that must not get worse while the main one "
    "improves (e.g. false alarms, workload, fairness)."
)
