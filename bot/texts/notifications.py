"""Sentences of the lifecycle notifications and the who-is-who commands.

Each notification says what happened, links the issue and its Ask, and
names the next DSLP step. `{title}` and `{tldr}` come from GitHub and have
already passed through `bot.mentions.untrusted`.
"""

# What happened (one per rule of the table in the README).
ASK_OPENED = "New Ask #{number} “{title}”: {url}"
DATA_OPENED = "Data issue #{number} “{title}” was opened: {url}"
BLOCKED = (
    "#{number} “{title}” is blocked: it needs access to data, compute or an environment. {url}"
)
UNBLOCKED = "#{number} “{title}” is no longer blocked on access. {url}"
WORK_STARTED = "Work has started: {kind} #{number} “{title}”: {url}"
SUCCEEDED = "Experiment #{number} “{title}” succeeded: {url}"
FAILED = "Experiment #{number} “{title}” failed: {url}"
CLOSED_UNSUCCESSFUL = "Experiment #{number} “{title}” was closed without succeeding: {url}"
MODEL_OPENED = "Model issue #{number} “{title}” was opened: {url}"
MODEL_DEPLOY = "Model #{number} “{title}” is ready to deploy: {url}"
MODEL_MERGED = "Pull request #{number} “{title}” from `{branch}` was merged: {url}"
ASK_CLOSED = "Ask #{number} “{title}” was closed: {url}"

ASK_LINE = "Ask: #{number} {title} {url}"
MODEL_LINE = "Model issue: #{number} {title} {url}"
TLDR_LINE = "TLDR: {tldr}"
NO_TLDR = "TLDR: none written yet."
NEXT_LINE = "Next DSLP step: {step}"
MENTIONS = "{mentions} {text}"

# The next DSLP step, per rule.
NEXT_ASK_OPENED = (
    "agree on the problem with the requester, then open a Data issue per dataset (`data {ask}`)."
)
NEXT_DATA_OPENED = (
    "get or build the dataset; label it `blocked - need access` if access is missing."
)
NEXT_BLOCKED = "grant the access, then remove the `blocked - need access` label."
NEXT_UNBLOCKED = "carry on with the work."
NEXT_EXPLORE = "explore within the time box and close with a TLDR of what was found."
NEXT_EXPERIMENT = "run the experiment and record it as succeeded or failed, with a TLDR."
NEXT_SUCCEEDED = "open the Model issue (`model {number}`) and a `model/...` branch from main."
NEXT_FAILED = "try another approach (`experiment {ask}`), or revisit the Ask."
NEXT_MODEL_OPENED = "harden, test and package the model; label it `Deploy` when it is ready."
NEXT_MODEL_DEPLOY = "deploy it and set up monitoring."
NEXT_MODEL_MERGED = "watch the deployment and its monitoring."
NEXT_ASK_CLOSED = "nothing more: thank you all."

OPEN_MODEL = "Open the Model issue"
MUTE = "Mute this Ask"

# A burst for one place, summed up in one message (bot.lifecycle.summary). The `what`
# phrases read with any count: "23 experiments labelled succeeded", "new Asks: 1".
SUMMARY_ONE = "{count} {what} in {repository}{by}."
SUMMARY_MANY = "{count} updates in {repository}{by} ({parts})."
SUMMARY_PART = "{what}: {count}"
SUMMARY_BY = " by @{actor}"
SUMMARY_MORE = "…and {more} more."
SUMMARY_FOOTER = "Sent as one message rather than {count} one by one."
SUMMARY_ASKS_OPENED = "new Asks"
SUMMARY_DATA_OPENED = "new Data issues"
SUMMARY_BLOCKED = "issues blocked on access"
SUMMARY_UNBLOCKED = "issues unblocked"
SUMMARY_WORK_STARTED = "Explore or Experiment issues started"
SUMMARY_SUCCEEDED = "experiments labelled succeeded"
SUMMARY_FAILED = "experiments failed"
SUMMARY_MODEL_OPENED = "new Model issues"
SUMMARY_MODEL_DEPLOY = "models labelled ready to deploy"
SUMMARY_MODEL_MERGED = "model pull requests merged"
SUMMARY_ASKS_CLOSED = "Asks closed"
SUMMARY_OTHER = "other updates"
