"""Sentences of the commands that open linked work (`data`, `explore`, `experiment`, `model`)."""

DATA_USAGE = "data <ask#> [get|create]"
DATA_SUMMARY = "open a Data issue for an Ask (get an existing dataset or create one)"
EXPLORE_USAGE = "explore <ask#>"
EXPLORE_SUMMARY = "open a time-boxed Explore issue for an Ask"
EXPERIMENT_USAGE = "experiment <ask#> | experiment <experiment#> [succeeded|failed|on-hold <TLDR>]"
EXPERIMENT_SUMMARY = "open an Experiment for an Ask, or record how an experiment ended"
MODEL_USAGE = "model <experiment#>"
MODEL_SUMMARY = "open the Model issue for a succeeded experiment"

NEED_NUMBER = "Which issue? Say `{usage}`, e.g. `{name} 12`."
BAD_NUMBER = "“{text}” is not an issue number. Say `{usage}`, e.g. `{name} 12`."
NOT_FOUND = "There is no issue #{number} in {repository}."
NOT_ASK = (
    "#{number} “{title}” is not an Ask (its labels: {labels}). `{name}` needs the Ask's number."
)
NOT_ASK_OR_EXPERIMENT = (
    "#{number} “{title}” is neither an Ask nor an Experiment (its labels: {labels}). "
    "`experiment <ask#>` opens an experiment; `experiment <experiment#>` records its outcome."
)
NOT_EXPERIMENT = "#{number} “{title}” is not an Experiment (its labels: {labels})."
NO_LABELS = "none"
CLOSED_ASK = "Note: Ask #{number} is closed."
NOT_SUCCEEDED = (
    "Note: experiment #{number} is not labelled succeeded ({state}). The DSLP opens a Model "
    "only for a succeeded experiment; record it with `experiment {number} succeeded <TLDR>`."
)
NO_ASK_REFERENCE = (
    "Experiment #{number} does not say which Ask it belongs to: add a line "
    "`***Ask Reference:*** #N` to its description, then try again."
)
FOR_ASK = "For Ask #{number} “{title}”."
OTHER_DRAFT = (
    "You already have an unfinished {flow} draft “{title}” for #{other}. Finish it (`resume`) "
    "or discard it (`cancel`), then ask again for #{number}."
)
CHOICE_RESUME = "Resume it"
CHOICE_DISCARD = "Discard it"

BRANCH = "Branch: `{branch}`."
ASK_LISTED = "Listed in Ask #{number}."
ASK_NOT_UPDATED = "I could not list it in Ask #{number}: {reason}"
ASK_CHANGED = "the Ask kept changing while I edited it; please add the link by hand."
ASK_GONE = "the Ask is not there any more."
DRAFT_TITLE = "{kind} for Ask #{number}"
OUTCOME_TITLE = "Outcome of experiment #{number}"
CHOICE_OPEN = "Open in GitHub"
