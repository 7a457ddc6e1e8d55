"""Every sentence of the Model flow and of the Model issues it files."""

from bot.texts.steps import StepText

FLOW_TITLE = "Open a DSLP Model issue"

NAME = StepText(
    label="Model name",
    question="What is the model called? The issue will be “Implement <name> model”.",
    example="churn GBM",
)

DESCRIPTION = StepText(
    label="Description",
    question=(
        "What should go to production, and how will it be used (batch or online, who calls it)?"
    ),
    example=(
        "The GBM from the baseline experiment, scoring every account each Monday for the "
        "customer success dashboard."
    ),
)
PREFILL_DESCRIPTION = "{description}\n\nExperiment TLDR: {tldr}"

TITLE = "Implement {name} model"
STEPS = (
    "Parametrise training and inference (no hard-coded paths, dates or thresholds)",
    "Define the API schema (inputs, outputs, errors)",
    "Profile it (latency, memory, cost) against the Ask's constraints",
    "Write unit and integration tests",
    "Register the model with its version",
    "Deploy (staging, then production)",
    "Monitor inputs, outputs, drift and the Ask's business metrics",
    "Write the release and retraining plan",
)
