"""Sentences of the conversation engine shared by every flow."""

STEP_PROMPT = "**{label}** ({position} of {total}, {need})\n{question}\nExample: _{example}_"
REQUIRED = "required"
OPTIONAL = "optional, `skip` to leave it for later"
CURRENT_ANSWER = "Current answer: {answer}\nType a new answer, or `keep` to keep it."

EMPTY_ANSWER = "That answer is empty. {label} is needed: please type a few words."
TOO_LONG = (
    "That answer is {length:,} characters; {label} takes at most {limit:,}. "
    "Please shorten it (a link to a longer document works well)."
)
NOT_AN_OPTION = "{label} must be one of: {options}."
SINGLE_LINE = "{label} must fit on one line; I joined your lines with spaces."
CANNOT_SKIP = "{label} is required, so it cannot be skipped. {question}"
COACH = (
    "Saved. To make it stronger:\n{advice}\nType a better answer, or `keep` to go on with this one."
)
NOTHING_TO_KEEP = "There is no answer waiting to be kept. {question}"
AT_FIRST_STEP = "This is the first question; there is nothing to go back to."
UNKNOWN_FIELD = "I don't know a part called “{name}”. You can edit: {names}."
IN_REVIEW = (
    "Everything is asked. `submit` to file it, `edit <part>` to change an answer, "
    "`preview` to see it again."
)
SUBMITTING = "“{title}” is being filed; I'll tell you here when it is done."
MISSING_REQUIRED = "Before filing I still need: {labels}."
CANCELLED = "Cancelled: I discarded the draft “{title}”. Say `ask` to start a new one."
RESUME_OFFER = (
    "You have an unfinished Ask “{title}” ({answered} of {total} parts answered). "
    "Resume it, or discard it and start over?"
)
RESUME_REPEAT = "Please choose: `resume` to go on with “{title}”, or `discard` to start over."
DISCARDED = "Discarded “{title}”."
UNTITLED = "untitled"

PREVIEW_INTRO = "Here is the issue as it will be filed."
READY = "Ready to file. `submit` to file it, or `edit <part>` to change something."
NOT_READY = "Not ready yet: {labels} still missing."
STRONG = "Strong: {labels}"
WEAK = "Could be stronger: {label}: {advice}"
MISSING = "Still to define (listed in the issue): {labels}"

HELP = (
    "I'm walking you through {flow}. Answer each question in a message.\n"
    "- `back`: the previous question\n"
    "- `skip`: leave an optional part for later\n"
    "- `edit <part>`: change an answer (parts: {names})\n"
    "- `preview`: see the issue as it would be filed\n"
    "- `submit`: file it (after a preview)\n"
    "- `cancel`: discard this draft\n"
    "Your answers are saved after every message; you can leave and come back."
)

CHOICE_SKIP = "Skip"
CHOICE_BACK = "Back"
CHOICE_KEEP = "Keep it"
CHOICE_SUBMIT = "Submit"
CHOICE_PREVIEW = "Preview"
CHOICE_RESUME = "Resume"
CHOICE_DISCARD = "Discard"
CHOICE_TRY_AGAIN = "Try again"
