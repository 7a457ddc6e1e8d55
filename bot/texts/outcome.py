"""Every sentence about recording an experiment's outcome (command, flow, comment)."""

from bot.texts.steps import StepText

FLOW_TITLE = "Record an experiment's outcome"

OUTCOME = StepText(
    label="Outcome",
    question="How did the experiment end?",
    example="succeeded",
)
SUCCEEDED = "Succeeded"
FAILED = "Failed"
ON_HOLD = "On hold"

TLDR = StepText(
    label="TLDR",
    question=(
        "Summarise the result in one or two sentences for the people who asked: what was tried, "
        "what came out, what it means."
    ),
    example="Recall 0.61 at 10% of accounts (rules: 0.2): usage predicts churn a month ahead.",
)

PREVIEW_TITLE = "Experiment #{number} {title}: {outcome}"
PREVIEW_BODY = "Outcome: **{outcome}**\n\n{tldr}"
COMMENT = "**Outcome: {outcome}**{by}\n\n{tldr}"
COMMENT_BY = " (recorded from chat by {name})"
COMMENT_BY_VERIFIED = " — recorded from {surface} by {name} ({login}, verified)"

RECORDED = "Recorded: experiment #{number} “{title}” {outcome}. TLDR written into its Results."
CLOSED_NOTE = "It is closed, as failed experiments are in the DSLP."
ASK_UPDATED = "Its Ask #{ask} lists it under Approaches and Experiments."
OFFER_MODEL = "Next DSLP step: open the Model issue to take it to production."
CHOICE_MODEL = "Open the Model issue"

NOT_FOUND = "There is no issue #{number} in {repository}."
NOT_EXPERIMENT = "#{number} “{title}” is not an Experiment (its labels: {labels})."
IS_CLOSED = "Experiment #{number} “{title}” is closed; reopen it on GitHub to change its outcome."
NO_TLDR = (
    "A TLDR is required: one or two sentences on what came out. "
    "For example: `experiment {number} {outcome} Recall 0.61 vs 0.2 for the rules`."
)
TLDR_TOO_LONG = "That TLDR is {length:,} characters; keep it under {limit:,} (link to details)."
UNKNOWN_OUTCOME = "“{word}” is not an outcome. Use succeeded, failed or on-hold."
LABEL_DROPPED = (
    "GitHub did not keep the label `{label}`: the bot's token cannot label in {repository}."
)
