"""Every sentence the insights say, in one place."""

from __future__ import annotations

STATS_USAGE = "stats [owner/repo] [30d|90d|quarter|all]"
STATS_SUMMARY = (
    "the DSLP's measures for a repository: iteration speed, success rates, "
    "time by work type, hand-offs"
)
BAD_WORD = (
    "I don't know `{word}` here. Try `stats`, `stats 30d`, `stats quarter` "
    "or `stats owner/repo all`."
)
NOT_SHOWN_HERE = (
    "{repository} is not known to be public, so its numbers are shown only in a direct "
    "message with me or in a channel subscribed to it (`subscribe {repository}`)."
)
NO_HISTORY = (
    "I have no history for {repository} yet. I am reading it from GitHub now; "
    "ask again in a minute (or run `dslp-bot backfill --repo {repository}`)."
)
NO_GITHUB = (
    "{repository} is kept by the local tracker, which has no GitHub history to measure. "
    "Connect GitHub (GITHUB_TOKEN or a GitHub App) for `stats`."
)

PERIOD_NAMES = {
    "30d": "the last 30 days",
    "90d": "the last 90 days",
    "quarter": "this quarter",
    "all": "all time",
}
HEADER = "**DSLP insights for {repository}, {period}** (history since {since})"
SPEED = (
    "**Iteration speed:** {per_ask} experiments concluded per Ask per week "
    "({concluded} concluded, {asks} Asks); opened to outcome: {spread}"
)
RATES = (
    "**Success rate:** {share} ({succeeded} succeeded, {failed} failed; {on_hold} on hold); "
    "{modelled} of {asks} Asks reached a Model ({model_share})"
)
TIME = "**Time by work type:** {shares}"
TIME_PART = "{kind} {share}"
HANDOFFS = "**Hand-offs (median / 85th percentile):** {parts}"
HANDOFF_PART = "{name} {spread}"
SLOWEST = " Slowest: {name}."
AGING = "**Aging:** {count} open item(s), {late} past the usual 85th percentile: {items}"
AGING_NONE = "**Aging:** nothing open is older than usual."
AGING_ITEM = "#{number} {what} {age}"
NO_VALUE = "n/a"
SPREAD = "{median} / {p85}"

HANDOFF_NAMES = {
    "ask-to-work": "Ask to first work",
    "success-to-model": "success to Model",
    "model-to-deploy": "Model to deployed",
    "blocked": "blocked on access",
}
CHART_TITLE = "{repository}, {period}"
CHART_OUTCOMES = "Experiment outcomes per week"
CHART_HANDOFFS = "Hand-off lead times (days)"
CHART_MEDIAN = "median"
CHART_P85 = "85th percentile"
CHART_ALT = "Experiment outcomes per week and hand-off lead times for {repository}, {period}"

REPORT_TITLE = "DSLP lifecycle insights"
REPORT_SECTION = "{repository}, {period}"
REPORT_EMPTY = "No history yet: run `dslp-bot backfill` first."
REPORT_MEASURE = "Measure"
REPORT_VALUE = "Value"
REPORT_ASK = "Ask #{number}"
REPORT_NO_ASK = "(no Ask named)"
REPORT_PER_ASK_HEAD = ("Ask", "succeeded", "failed", "on hold", "success rate")
REPORT_AGING_HEAD = ("Issue", "Title", "What", "Age", "Older than the usual")

WEEK_CHANGES = (
    "**This week:** {concluded} experiments concluded (the week before: {before}); "
    "success rate {share} (the week before: {share_before})"
)
INSIGHTS_USAGE = "insights weekly <day> HH:MM [zone] | insights off"
INSIGHTS_SUMMARY = "a weekly post of the `stats` picture in this channel, with what changed"
INSIGHTS_HELP = (
    "`insights weekly monday 09:00 [Europe/Berlin]` posts the `stats` picture for this "
    "channel's repository every week at that time; `insights off` stops it."
)
INSIGHTS_NEED_DAY = "Which day? For example `insights weekly monday 09:00 Europe/Berlin`."
INSIGHTS_SUBSCRIBED = "Insights here {days} at {time} ({zone}); the next on {next}."
INSIGHTS_UNSUBSCRIBED = "The weekly insights are off for this channel."
INSIGHTS_NOT_SUBSCRIBED = (
    "This channel has no weekly insights. Start them with `insights weekly monday 09:00`."
)
