"""Every sentence the Slack adapter shows by itself (the core's replies bring their own)."""

MODAL_CLOSE = "Cancel"
MODAL_NEXT = "Review"
MODAL_FILE = "File it"
MODAL_DONE = "Close"
REVIEW_TITLE = "Review the Ask"
REVIEW_INTRO = (
    "Here is how *{title}* reads. Your answers are saved; you can close this and come back."
)
REVIEW_EDIT = "Edit answers"
REVIEW_LAST_ERROR = ":warning: The last attempt to file it failed: {error}"
EXAMPLE_HINT = "{question} Example: {example}"
FILING = "Filing *{title}*… I'll post the link in {where} when it is done."
RECORDING = "Recording *{title}*… I'll post the result in {where} when it is done."
SELECT_PLACEHOLDER = "Choose one"
FORM_TITLES = {
    "data": "New Data issue",
    "explore": "New Explore issue",
    "experiment": "New Experiment issue",
    "model": "New Model issue",
    "experiment-outcome": "Experiment outcome",
}
"""Modal titles (at most 24 characters); a flow not named here shows its own title, clipped."""
REVIEW_TITLES = {
    "ask": "Review the Ask",
    "data": "Review the Data issue",
    "explore": "Review the Explore issue",
    "experiment": "Review the Experiment",
    "model": "Review the Model issue",
    "experiment-outcome": "Review the outcome",
}
FORM_LATE = (
    "Slack did not let me open the form in time. Your draft is saved: press the button to open it."
)
FORM_OPEN = "Open the form"
WHERE_CHANNEL = "<#{channel}>"
WHERE_DM = "our direct messages"

STALE_TITLE = "Form out of date"
STALE_FORM = (
    "This form belongs to an older version of dslp-bot or to a draft that is gone. "
    "Nothing you saved is lost: run `/dslp ask` to open your draft again."
)
NOT_ALLOWED = "dslp-bot is not enabled for this Slack workspace."
FOREIGN_FORM = "This form belongs to someone else's draft, so I did not save it."
NOT_SUBMITTED = "Not filed yet"

HOME_HEADER = "Your DSLP Asks"
HOME_INTRO = (
    "Frame the business problem first: an Ask is what a data scientist needs "
    "to decide whether and how to start."
)
HOME_NEW = "Frame a new Ask"
HOME_ASKS = "*Asks you filed*"
HOME_NO_ASKS = "You have not filed an Ask yet."
HOME_ASK = "<{url}|#{number} {title}>  ·  phase: *{phase}*"
HOME_MORE_ASKS = "…and {count} more; `/dslp status` lists them all."
HOME_DRAFTS = "*Unfinished drafts*"
HOME_DRAFT = "*{title}*  ·  {answered} of {total} parts answered"
HOME_DRAFT_FILING = "*{title}*  ·  being filed"
HOME_RESUME = "Resume"
HOME_PHASE_DEFAULT = "Ask"
UNTITLED = "untitled"

FROM_MESSAGE = "{text}\n\n(From a Slack message: {link})"
CHOICE_OPEN = "Open in GitHub"
FILED_LINE = ":white_check_mark: Filed <{url}|#{number} {title}>"

DM_UNREACHABLE_NOTE = "(I could not post in the channel where you asked, so I am telling you here.)"

# When the work behind an answer fails after the ack (the database is down): said, never silent.
WORK_FAILED = (
    "Sorry, I could not do that just now: something on my side is not answering. "
    "Nothing you saved before is lost. Please try again in a minute."
)
FORM_NOT_SAVED = (
    "I could not save this just now (my database is not answering). What you typed is still "
    "in this form: press the button again in a minute."
)
OUTAGE_TITLE = "Not saved yet"
REVIEW_NOT_CONFIRMED = (
    "I could not reach my database, so I cannot be sure “File it” went through. Your answers "
    "were saved when you pressed Review. If it went through, the link is posted where you asked; "
    "if not, open the draft again in a minute (`/dslp ask`, or *Resume* on my Home tab) and "
    "press *File it*."
)

WORKFLOW_ORIGIN = "a Slack workflow"
RUN_NOT_ALLOWED = NOT_ALLOWED + " Nothing was filed."
"""How a Workflow Builder run from a workspace not served ends (its owner reads it)."""
