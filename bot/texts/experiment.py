"""Every sentence of the Experiment flow and of the Experiment issues it files."""

from bot.texts.steps import StepText

FLOW_TITLE = "Open a DSLP Experiment issue"

TITLE = StepText(
    label="Title",
    question="Give the experiment a short title: the approach in a few words.",
    example="Churn GBM baseline",
)

DESCRIPTION = StepText(
    label="Description",
    question="What approach will you try, and what do you expect to learn or show?",
    example=(
        "Gradient boosted trees on 90 days of usage features, to see whether usage alone "
        "predicts cancellation a month ahead."
    ),
)

METRICS = StepText(
    label="Metrics",
    question=(
        "How will you measure it, and what result counts as success (compared with what baseline)?"
    ),
    example="Recall at 10% of accounts >= 0.5 on the last quarter, vs 0.2 for the current rules",
)

ASSUMPTIONS = StepText(
    label="Assumptions",
    question="What are you assuming about the data or the problem?",
    example="Usage logs are complete since 2022; cancellations are recorded within a week.",
)

HISTORY = StepText(
    label="Experiment history",
    question="Where will runs be tracked? A link to MLflow, Weights & Biases, a notebook...",
    example="https://mlflow.example.com/#/experiments/12",
)

HINT_ASSUMPTIONS = "What is assumed about the data or the problem"
HINT_RESULTS = "What happened; end with a TLDR when the experiment succeeds or fails"
