"""Every sentence of the Experiment flow and of the Experiment issues it files."""

FLOW_TITLE = "Open a DSLP Experiment issue"

TITLE_LABEL = "Title"
TITLE_QUESTION = "Give the experiment a short title: the approach in a few words."
TITLE_EXAMPLE = "Churn GBM baseline"

DESCRIPTION_LABEL = "Description"
DESCRIPTION_QUESTION = "What approach will you try, and what do you expect to learn or show?"
DESCRIPTION_EXAMPLE = (
    "Gradient boosted trees on 90 days of usage features, to see whether usage alone "
    "predicts cancellation a month ahead."
)

METRICS_LABEL = "Metrics"
METRICS_QUESTION = (
    "How will you measure it, and what result counts as success (compared with what baseline)?"
)
METRICS_EXAMPLE = (
    "Recall at 10% of accounts >= 0.5 on the last quarter, vs 0.2 for the current rules"
)

ASSUMPTIONS_LABEL = "Assumptions"
ASSUMPTIONS_QUESTION = "What are you assuming about the data or the problem?"
ASSUMPTIONS_EXAMPLE = (
    "Usage logs are complete since 2022; cancellations are recorded within a week."
)

HISTORY_LABEL = "Experiment history"
HISTORY_QUESTION = "Where will runs be tracked? A link to MLflow, Weights & Biases, a notebook..."
HISTORY_EXAMPLE = "https://mlflow.example.com/#/experiments/12"

HINT_ASSUMPTIONS = "What is assumed about the data or the problem"
HINT_RESULTS = "What happened; end with a TLDR when the experiment succeeds or fails"
