"""Every sentence the Teams adapter says itself (the core's sentences live in bot/texts)."""

GREETING = (
    "Hi, I'm **dslp-bot**. I help your team run the Data Science Lifecycle Process: "
    "I turn a business problem into a well-framed **Ask** issue, one question at a time "
    "or in a single form, and tell you when it is filed.\n"
    "- `ask`: frame a new Ask (or pick up your unfinished one)\n"
    "- `status`: your Asks and drafts\n"
    "- `help`: every command\n"
    "In a channel, mention me first: **@dslp-bot ask**."
)
OPEN_FORM = "Open the form"
FORM_OFFER = "Prefer to fill in every part at once? Use the form; it shares this draft."
FORM_SUBMIT = "Review"
FORM_REQUIRED = "required"
FORM_OPTIONAL = "optional"
FORM_EXAMPLE = "Example: {example}"
FORM_CHOOSE = "Choose one"
FORM_HAS_ERRORS = "Please fix the parts marked below; everything else is saved."
FORM_FIELD_ERROR = "⚠ {error}"

REVIEW_TITLE = "Review: {title}"
REVIEW_COACHING = "Coaching:"
REVIEW_ADVICE = "- {label}: {advice}"
FILE_IT = "File it"
EDIT = "Edit"

FILED_TITLE = "Filed #{number}: {title}"
OPEN_ISSUE = "Open the issue"
PREVIEW_SHORTENED = "(shortened here; the issue gets the full text)"
LIST_CONTINUED = "(continued)"
SHOW_ITEMS = "Show the list ({count})"

CARD_OLD = (
    "That card is from an older version of me, so I did not use it. "
    "Here is a fresh form with your saved answers and what you typed."
)
CARD_GONE = (
    "That card belongs to a draft that is filed, discarded or not yours, so I did not change it. "
    "What you typed is kept in the form below."
)
CONFIRM_GONE = (
    "That Ask is no longer waiting to be filed (it may be filed already, or the card is "
    "someone else's). Say `status` to see your Asks."
)
CARD_UNKNOWN = "I don't recognise that button; it may be from an older version of me. Say `help`."
TURN_FAILED = "Sorry, something went wrong on my side. Your draft is saved; please try again."

ANONYMOUS_WARNING = (
    "DSLP_TEAMS_ALLOW_ANONYMOUS=1: /api/messages accepts requests WITHOUT a Bot Framework "
    "token. Anyone who can reach this server can talk to the bot as anyone. "
    "Use this only for local testing, never in production."
)
OFF_NO_APP_ID = "MICROSOFT_APP_ID is not set (DSLP_TEAMS_ALLOW_ANONYMOUS=1 allows local tests)"
OFF_APP_TYPE = "MICROSOFT_APP_TYPE={value!r} is not MultiTenant, SingleTenant or UserAssignedMSI"
OFF_NO_TENANT = "MICROSOFT_APP_TYPE={value} needs MICROSOFT_APP_TENANT_ID"

FROM_MESSAGE = "{text}\n\n(From a Teams message: {link})"
TASK_TITLE = "Frame as DSLP Ask"
TASK_DONE = "Done."
TASK_UNKNOWN = "This action is not one dslp-bot knows; update the app package."
TASK_NO_PERSON = "Teams did not say who you are in which organisation, so nothing was opened."
