"""Sentences of the daily digest and its `digest` commands."""

from bot.digest.model import Reason

DIGEST_USAGE = "digest daily HH:MM [timezone] [weekdays|everyday] | now | settings | off | help"
DIGEST_SUMMARY = "a daily list of stalled work in this channel"

HELP = (
    "Digest commands:\n"
    "- `digest daily 09:00 Europe/Berlin weekdays`: post the digest here every weekday at 09:00\n"
    "- `digest now`: post it right away\n"
    "- `digest settings`: show the schedule and thresholds\n"
    "- `digest threshold inactive 10`: change a rule's days ({rules})\n"
    "- `digest empty skip` or `digest empty post`: when nothing is stalled, say nothing or say so\n"
    "- `digest snooze #12`: leave #12 out for 7 days, or until it changes\n"
    "- `digest off`: stop the digest here"
)
UNKNOWN = "I don't know `digest {word}`."

NEED_TIME = "Give a time, e.g. `digest daily 09:00 Europe/Berlin weekdays`."
BAD_TIME = "“{word}” is not a time: write it as 24-hour HH:MM, e.g. `09:00` or `17:30`."
BAD_ZONE = "I don't know the timezone “{word}”: use an IANA name like `Europe/Berlin` or `UTC`."
BAD_WORD = "I don't understand “{word}”: after the time give a timezone, `weekdays` or `everyday`."

SUBSCRIBED = "I'll post the digest here {days} at {time} ({zone}). Next: {next}."
DAYS_TEXT = {
    "weekdays": "every weekday",
    "everyday": "every day",
    "monday": "every Monday",
    "tuesday": "every Tuesday",
    "wednesday": "every Wednesday",
    "thursday": "every Thursday",
    "friday": "every Friday",
    "saturday": "every Saturday",
    "sunday": "every Sunday",
}
UNSUBSCRIBED = "The digest is off for this channel."
NOT_SUBSCRIBED = "This channel has no digest. Start one with `digest daily 09:00`."

SETTINGS_HEADER = "Digest here: {days} at {time} ({zone}); next {next}."
SETTINGS_NONE = "No scheduled digest here (`digest now` still works). Thresholds:"
SETTINGS_THRESHOLD = "- `{rule}`: {days} days ({what})"
SETTINGS_EMPTY_POST = "When nothing is stalled I say so."
SETTINGS_EMPTY_SKIP = "When nothing is stalled I say nothing."

THRESHOLD_USAGE = "Write `digest threshold <rule> <days>`, rules: {rules}."
THRESHOLD_BAD_RULE = "There is no rule “{word}”. Rules: {rules}."
THRESHOLD_BAD_DAYS = "“{word}” is not a number of days from {low} to {high}."
THRESHOLD_SET = "`{rule}` now lists items after {days} days."
EMPTY_USAGE = "Write `digest empty post` or `digest empty skip`."
EMPTY_POST = "When nothing is stalled, the digest will say so."
EMPTY_SKIP = "When nothing is stalled, the digest will say nothing."

SNOOZE_USAGE = "Write `digest snooze #12` (or `digest snooze owner/repo#12`)."
SNOOZED = (
    "{repository}#{number} is left out of this channel's digest until {until}, unless it changes."
)

RULE_TEXT = {
    Reason.INACTIVE: "open Experiment with no activity",
    Reason.NO_TLDR: "open Experiment with no TLDR and no outcome, counted from opening",
    Reason.NO_MODEL: "succeeded Experiment with no Model issue",
    Reason.BLOCKED: "labelled blocked - need access",
    Reason.ON_HOLD: "on hold: revive or close",
    Reason.EXPLORE: "open Explore past its time box",
    Reason.UNLINKED_ASK: "Ask with no Data, Explore or Experiment work",
}
HOLD_OVER = "back from hold: it was on hold until {day}; revive or close?"
REASON = {
    Reason.INACTIVE: "no activity for {days} days",
    Reason.NO_TLDR: "no TLDR or outcome after {days} days",
    Reason.NO_MODEL: "succeeded {days} days ago, no Model issue yet",
    Reason.BLOCKED: "blocked, waiting for access for {days} days",
    Reason.ON_HOLD: "on hold for {days} days: revive or close?",
    Reason.EXPLORE: "Explore open {days} days, past its {threshold}-day time box",
    Reason.UNLINKED_ASK: "Ask open {days} days with no linked work",
}
SUMMARY_NAME = {
    Reason.INACTIVE: "no activity",
    Reason.NO_TLDR: "no TLDR",
    Reason.NO_MODEL: "no Model issue",
    Reason.BLOCKED: "blocked",
    Reason.ON_HOLD: "on hold",
    Reason.EXPLORE: "Explore over time",
    Reason.UNLINKED_ASK: "Ask without work",
}

HEADER = "Stalled work in {repository}: {count} {noun}"
SUMMARY_PART = "{count} {name}"
SUMMARY_JOIN = " · "
NOTHING = "Nothing stalled in {repository} today."
NOTHING_SHOWN = (
    "No repository's issues may be shown in this channel: its repository is private and nobody "
    "with access subscribed the channel to it (`subscribe owner/repo`)."
)
COULD_NOT_BUILD = (
    "I could not build today's digest: {reason} I'll try again at the next scheduled time; "
    "`digest now` tries right away."
)
GROUP_ASK = "**Ask #{number}: {title}**"
GROUP_ASK_UNKNOWN = "**Ask #{number}**"
GROUP_NONE = "**Not linked to an Ask**"
ITEM_TITLE = "**#{number} {title}**"
ITEM_DETAILS = "{ask}{owners} · opened {age} · last activity {activity}"
ITEM_ASK = "Ask #{number} · "
ITEM_OWNERS = "owner: {names}"
ITEM_NO_OWNER = "no owner"
AGO_TODAY = "today"
AGO_ONE = "1 day ago"
AGO_DAYS = "{days} days ago"
TRUNCATED = "…and {more} more. See all in GitHub: {url}"
TRUNCATED_NO_LINK = "…and {more} more; raise thresholds or snooze items to see them here."

SNOOZE_LABEL = "Snooze 7 days"
ON_HOLD_LABEL = "Mark on hold"
TLDR_LABEL = "Add TLDR"
OPEN_LABEL = "Open in GitHub"
ON_HOLD_NOTE = "Put on hold from the digest"
