"""Sentences of verified people: `link github`, the sign-in pages, and their confirmations."""

LINK_USAGE = "link github [off] · link github @person <login> (admins)"
LINK_SUMMARY = "prove your GitHub login by signing in, so issues assigned to you reach you here"
LINK_HELP = (
    "Say `link github` to sign in with GitHub, or `link github off` to unlink. "
    "Admins: `link github @person <login>`."
)
SIGN_IN = (
    "Sign in with GitHub to show me who you are: {url}\n"
    "The link is yours alone, works once and expires in 10 minutes."
)
TYPED_LOGIN = "A typed login is not proof, so I'll ask GitHub who you are."
SIGN_IN_BUTTON = "Sign in with GitHub"
NO_SIGN_IN = (
    "Signing in with GitHub is not set up here, so only the bot's admins can link you: "
    "ask one of them to say `link github @you <your login>`.{admins}"
)
ADMINS_ARE = " Admins: {admins}."
BAD_LOGIN = "“{login}” is not a GitHub login (letters, digits and single hyphens, up to 39)."
NOT_A_MEMBER = (
    "I could not read “{word}” as a person: mention them, e.g. `link github @Ana ana-gh`."
)
ADMINS_ONLY = "Only the bot's admins may link someone else's GitHub login."
VOUCHED = "Linked: {member} is GitHub @{login} (vouched for by {admin})."
UNLINKED = "Unlinked: I no longer know your GitHub login, and your GitHub sign-in is revoked."
NOT_LINKED = "You had no GitHub login linked."
SIGNED_IN_CHAT = (
    "Signed in: GitHub @{login} is you. Issues assigned to you will mention you here, "
    "and I'll ask GitHub what you may do."
)

PAGE_TITLE = "dslp-bot: GitHub sign-in"
PAGE_SIGNED_IN = "Signed in as @{login}. You can close this page and go back to your chat."
PAGE_UNKNOWN = (
    "This sign-in link is not valid, or it was used already. "
    "Say `link github` in your chat for a new one."
)
PAGE_EXPIRED = "This sign-in link expired (they last 10 minutes). Say `link github` for a new one."
PAGE_DENIED = "GitHub did not sign you in, so nothing was linked. Say `link github` to try again."
PAGE_GITHUB = (
    "GitHub could not confirm the sign-in, so nothing was linked. "
    "Say `link github` in your chat to try again."
)
OTHER_WORKSPACE = (
    "“{word}” belongs to another workspace or tenant: you can vouch only for people of this one."
)
