"""GitHub adapter: the issue tracker over PyGithub (webhooks come later)."""

from adapters.github.retry import RetryPolicy
from adapters.github.tracker import DEFAULT_API_URL, GitHubTracker

__all__ = ["DEFAULT_API_URL", "GitHubTracker", "RetryPolicy"]
