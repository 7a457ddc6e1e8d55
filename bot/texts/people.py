"""Sentences of the who-is-who commands: roles and channel subscriptions."""

ROLE_USAGE = "role add|remove <role> @person|@group ... · role list"
ROLE_SUMMARY = "who plays which DSLP role here (business, data-scientist, ml-engineer, ...)"
SUBSCRIBE_USAGE = "subscribe [owner/repo] [confirm]"
SUBSCRIBE_SUMMARY = "this channel receives the repository's DSLP notifications"
UNSUBSCRIBE_USAGE = "unsubscribe [owner/repo]"
UNSUBSCRIBE_SUMMARY = "stop this channel's DSLP notifications"

ROLE_HELP = (
    "Say `role add <role> @person ...`, `role remove <role> @person ...` or `role list`. "
    "Roles: {roles}, or one of your own (lower-case words joined by hyphens)."
)
BAD_ROLE = (
    "“{role}” is not a role name: use lower-case words joined by hyphens, e.g. `ml-engineer`."
)
NO_MEMBERS = "Whom? Mention the people or groups: `role {verb} {role} @name`."
NOT_A_MENTION = (
    "I could not read “{word}” as a person or group. Mention them so your chat app "
    "completes the name (for example @Ana or @data-team)."
)
OTHER_WORKSPACE = (
    "“{word}” belongs to another workspace or tenant: roles here can only name people "
    "and groups of this one."
)
ROLE_ADDED = "{members} now {verb} `{role}` in {repository}."
ROLE_REMOVED = "Removed {count} from `{role}` in {repository}."
ROLE_NOT_HELD = "Nobody of those had the role `{role}` in {repository}."
ROLES_HEADER = "Roles in {repository}:"
ROLE_LINE = "- `{role}`: {members}"
ROLES_NONE = "No roles in {repository} yet. Say `role add data-scientist @name` to start."

IN_CHANNEL_ONLY = "Subscribe from a channel, not a direct message: notifications go to the channel."
BAD_REPOSITORY = "“{repository}” is not a repository: use owner/name, e.g. `subscribe octo/churn`."
NO_REPOSITORY = "No GitHub repository is configured: say which one, e.g. `subscribe octo/churn`."
SUBSCRIBED = "This channel now receives the DSLP notifications of {repository}."
ALREADY_SUBSCRIBED = "This channel already receives the DSLP notifications of {repository}."
UNSUBSCRIBED = "This channel no longer receives the DSLP notifications of {repository}."
NOT_SUBSCRIBED = "This channel was not subscribed to {repository}."
CONFIRM_PRIVATE = (
    "{repository} is private (or I cannot see that it is public): once subscribed, everyone in "
    "this channel sees the titles of its DSLP issues, whether or not GitHub lets them read it. "
    "Press the button, or say `subscribe {repository} confirm`, if that is what you want."
)
CONFIRM_BUTTON = "Show its issues here"

USE_USAGE = "use [owner/repo]"
USE_SUMMARY = "this channel's repository: where `ask` files and what `#N` means"
USE_IN_CHANNEL_ONLY = (
    "Choose a repository from a channel: a direct message always uses {repository}."
)
USE_NOW = "This channel uses {repository}: `ask` files there and `#N` means its issues."
USE_SET = (
    "This channel now uses {repository}: `ask` files there and `#N` means its issues. "
    "(Notifications still come only from subscriptions: `subscribe {repository}`.)"
)
BAD_USE = "“{repository}” is not a repository: use owner/name, e.g. `use octo/churn`."
