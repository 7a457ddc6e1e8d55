"""What people are told when the tracker fails: GitHub's errors and the local tracker's.

None of them ever includes the token.
"""

TOKEN_REFUSED = "the GitHub token was refused"
NO_ACCESS = "no access to {repository}"
RATE_LIMITED = "GitHub's rate limit was reached; the bot will try again later"
UNAVAILABLE = "GitHub is not answering right now; the bot will try again"
REFUSED = "GitHub refused the change: {detail}"
NOT_FOUND = "issue #{number} was not found in {repository}"
UNEXPECTED = "GitHub answered with an unexpected error ({status})"

LOCAL_NO_SUCH_ISSUE = "Issue #{number} does not exist in the local tracker."
LOCAL_UNKNOWN_STATE = "Unknown issue state {state!r}."
LOCAL_TOO_BUSY = "The local tracker is too busy to number a new issue; try again."

NOT_SERVED = (
    "{repository} is not one of the bot's repositories: install the GitHub App on it "
    "(or add it to DSLP_REPOSITORIES)"
)
NOT_INSTALLED = "the GitHub App is not installed on {repository} (or its installation is suspended)"
