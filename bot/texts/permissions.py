"""Sentences of refusals: what GitHub says someone may do, and what they lack."""

ACCESS_NAMES = {
    "read": "read access",
    "triage": "triage access",
    "write": "write access",
    "maintain": "maintain or admin access",
    "admin": "admin access",
}
OR_ADMINS = "{access} (or to be one of the bot's admins)"
SIGN_IN_FIRST = (
    "This needs {need} to {repository} on GitHub, and I don't know your GitHub login yet. "
    "Sign in with GitHub, then try again: {url}"
)
SIGN_IN_BUTTON = "Sign in with GitHub"
VOUCH_FIRST = (
    "This needs {need} to {repository} on GitHub, and I don't know your GitHub login yet. "
    "Ask one of the bot's admins to say `link github @you <your login>`."
)
NOT_ENOUGH = (
    "This needs {need} to {repository}; GitHub gives @{login} {have} access. "
    "Ask a maintainer of {repository} for more."
)
COULD_NOT_CHECK = (
    "I could not ask GitHub what you may do in {repository}, so I did nothing. "
    "Try again in a minute."
)
ADMINS_ONLY = "Only the bot's admins may do this here. Ask one of them: {admins}."
