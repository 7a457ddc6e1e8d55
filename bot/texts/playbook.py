"""Every sentence of the playbook: comments left in GitHub, notes in chat, `branches`."""

# Comments in GitHub (Markdown; names are escaped before they are put in).
BY = "by {name} from {surface}"
BY_VERIFIED = "by {name} ({login}, verified) from {surface}"
"""`login` is `@ana-gh`, shown as such but mentioning nobody."""
COMMENT = "{steps}, {by}."
"""Steps joined with `; `, the first letter raised."""
SUB_ISSUE_DONE = "added as a sub-issue of Ask #{ask}"
BRANCH_DONE = "branch `{branch}` created from the default branch and linked here"
HAND_OPENED_BY = "when it was opened in GitHub"
PULL_CLOSED = (
    "Closed unmerged: experiment #{number} **failed**, {by}. As the DSLP asks, this pull "
    "request stays as the record of what was tried.\n\n***TLDR:*** {tldr}"
)
PULL_RETARGETED = (
    "Retargeted to `{branch}` for Model #{model}, {by}: experiment #{number} succeeded and its "
    "work continues in the Model (the DSLP's success step)."
)
EXPERIMENT_CLOSED = "Closed as completed: its work continues in a Model issue, {by}."

# Notes in chat, after filing or an outcome.
BRANCH_CREATED = (
    "In GitHub the branch is created and linked to the issue (its Development section)."
)
BRANCH_REFUSED = (
    "I may not create branches in {repository}, so `{branch}` was not created: create it "
    "yourself, or give the bot Contents: write. (`branches off` stops me trying; I say this once.)"
)
BRANCH_TAKEN = "A branch `{branch}` exists already and is not linked to #{number}; I left it alone."
STEP_FAILED = "GitHub did not take one step ({step}): {reason}"
STEP_SUB_ISSUE = "the sub-issue"
STEP_BRANCH = "the branch"
STEP_PULL = "the pull request"
STEP_PROJECT = "the Project"
PROJECT_DONE = "added to Project {project} with {field} {phase}"
PROJECT_ADDED = "added to Project {project}"
PROJECT_MISSING = "I cannot see Project {project} (or it is not the token's to change)."
PROJECT_USAGE = "project owner/number|off"
PROJECT_SUMMARY = "the GitHub Project new work in this channel's repository is added to"
PROJECT_SET = "New work in {repository} now goes to Project {project}."
PROJECT_OFF = "New work in {repository} goes to no Project of its own now."
PROJECT_STATE = "New work in {repository} goes to Project {project}."
PROJECT_NONE = "New work in {repository} goes to no Project. Usage: `project owner/number`."
PROJECT_BAD = "“{text}” is not a Project: write its owner and number, e.g. `project octo/5`."
PROJECT_NOT_OWNERS = (
    "Project {project} is not {repository}'s owner's, so I left things as they were: "
    "a repository's issues go only to a Project of the same owner."
)
PROJECT_UNUSED = (
    "New work in {repository} goes to no Project: {project} is another owner's, and a "
    "repository's issues go only to a Project of the same owner."
)
PULL_CLOSED_NOTE = "Its pull request #{number} is closed unmerged, with the TLDR."
PULL_RETARGETED_NOTE = "Experiment #{experiment}'s pull request #{number} now targets `{branch}`."
NO_MODEL_BRANCH = (
    "Experiment #{experiment}'s pull request #{number} still targets `{base}`: "
    "the Model has no branch to move it to."
)
OFFER_CLOSE = "Experiment #{number} is still open. Close it now that the Model carries it on?"
CHOICE_CLOSE = "Close the Experiment"
CLOSED_EXPERIMENT = "Closed experiment #{number}; its work goes on in the Model."
ALREADY_CLOSED = "Experiment #{number} is closed already."

# `branches on|off`.
BRANCHES_USAGE = "branches on|off"
BRANCHES_SUMMARY = (
    "whether opening Data, Explore, Experiment and Model work also creates its DSLP branch"
)
BRANCHES_ON = "From now on, new work in {repository} gets its DSLP branch, linked to the issue."
BRANCHES_OFF = "From now on, I create no branches in {repository}."
BRANCHES_ALREADY_ON = "Branches are on already in {repository}."
BRANCHES_ALREADY_OFF = "Branches are off already in {repository}."
BRANCHES_STATE = "Branches in {repository} are {state}. Usage: `branches on|off`."
BRANCHES_BAD = "`branches` takes `on` or `off`, not “{word}”."
ON = "on"
OFF = "off"

# `experiment <ref> on-hold until YYYY-MM-DD <TLDR>`.
HELD_UNTIL = "It stays out of digests until {day}, then comes back with a note."
BAD_HOLD_DATE = (
    "“{text}” is not a day: write it as YYYY-MM-DD, e.g. "
    "`experiment 45 on-hold until 2027-01-15 Waiting for Q3 data`."
)
PAST_HOLD_DATE = "{day} is not after today: give a day in the future, or no `until`."

# `mute <ask ref>` / `unmute <ask ref>`: the requester's milestones of one Ask.
MUTE_USAGE = "mute <ask ref>"
MUTE_SUMMARY = "stop hearing the milestones of an Ask you filed (the Mute button does this)"
UNMUTE_USAGE = "unmute <ask ref>"
UNMUTE_SUMMARY = "hear the milestones of an Ask you filed again"
MUTE_BAD = "Name the Ask: `mute #12` or `mute owner/repo#12`."
MUTE_NOT_YOURS = "#{number} in {repository} is not an Ask you filed with me, so I cannot mute it."
MUTED = "Muted Ask #{number} “{title}”: you will hear no more of it (`unmute #{number}` undoes it)."
UNMUTED = "You will hear the milestones of Ask #{number} “{title}” again."
