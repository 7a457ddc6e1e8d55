"""Sentences about filing an issue in the tracker."""

FILED = "Filed #{number} “{title}”: {url}"
SUMMARY = "{answered} of {total} parts filled in."
STILL_TO_DEFINE = "Still to define (a checklist in the issue): {labels}."
LABEL_DROPPED = (
    "GitHub did not keep the label `{label}`: the bot's token has no push access to {repository}. "
    "Ask a maintainer to add the label, or give the token write access."
)
FAILED = (
    "I could not file “{title}”: {reason} Your draft is safe. "
    "Say `submit` to try again (or use the Try again button)."
)
DELAYED = (
    "Filing “{title}” is delayed: {reason} I keep trying for up to {hours:g} hours and will "
    "post the link here as soon as it is filed. Your draft is safe; you need not do anything."
)
GAVE_UP = (
    "I could not file “{title}”: I kept trying for {hours:g} hours and it never went through. "
    "Your draft is safe. Say `submit` to try again (or use the Try again button)."
)
UNEXPECTED = "something went wrong on my side (it is logged)."
