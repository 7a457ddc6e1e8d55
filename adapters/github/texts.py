"""What operators are told about the GitHub App: at start (a bad key) and by `dslp-bot doctor`.

None of them ever includes the key or a token.
"""

KEY_MISSING = "GITHUB_APP_ID is set but GITHUB_APP_PRIVATE_KEY is empty"
KEY_UNREADABLE = (
    "GITHUB_APP_PRIVATE_KEY is neither a PEM private key nor a readable file holding one ({path})"
)
KEY_INVALID = (
    "GITHUB_APP_PRIVATE_KEY is not a usable RSA private key: paste the whole .pem file the "
    "GitHub App's settings page gave you (from -----BEGIN to -----END), or give its path"
)
NO_DEFAULT = "GITHUB_APP_ID is set but GITHUB_REPOSITORY is empty: name the default repository"

APP_OFF = "not used (set GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY to act as a GitHub App)"
APP_REFUSED = (
    "GitHub refused the app's signed token (GET /app answered {status}): check that "
    "GITHUB_APP_ID is the app's id and GITHUB_APP_PRIVATE_KEY is a current key of that app"
)
APP_UNREACHABLE = "cannot reach GitHub at {url}: {error}"
APP_OK = "signed in as the GitHub App {name!r} (id {app_id})"
NOT_INSTALLED_ANYWHERE = (
    "the app {name!r} is installed nowhere: install it on the organisation or the repositories "
    "it should serve"
)
INSTALLATION_OK = "installation {id} on {account}: permissions and events as needed"
INSTALLATION_SUSPENDED = "installation {id} on {account} is suspended: unsuspend it in GitHub"
MISSING_PERMISSIONS = (
    "installation {id} on {account} lacks {missing}: change the app's permissions, then accept "
    "them in the installation's settings"
)
MISSING_EVENTS = (
    "installation {id} on {account} does not send {missing}: tick them under the app's "
    "'Subscribe to events'"
)
EXTRA_PERMISSIONS = "installation {id} on {account} grants more than needed ({extra}); fine to drop"
DEFAULT_NOT_GRANTED = (
    "GITHUB_REPOSITORY {repository} is not among the installations' repositories: add it to "
    "an installation, or name one of {served}"
)
DEFAULT_GRANTED = "{count} repositories served; default {repository}"
