"""All configuration, read from the environment in this one place.

Field names are the environment variables, lower-cased. Secrets are
`SecretStr`, so printing or logging the settings never shows them.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(case_sensitive=False, extra="ignore", frozen=True)

    # Storage
    dslp_data_dir: Path = Path("data")
    dslp_database_url: str = ""
    # Deliveries kept on local disk while the database is unreachable (per process).
    dslp_spool_max_bytes: int = Field(default=256 * 1024 * 1024, ge=0)

    # GitHub
    github_token: SecretStr = SecretStr("")
    github_repository: str = ""
    github_api_url: str = "https://api.github.com"
    github_webhook_secret: SecretStr = SecretStr("")
    dslp_github_poll_seconds: float = 0.0
    dslp_github_hook_id: int = Field(default=0, ge=0)
    # Reconciliation with GitHub also runs this often (0: only at start and after an outage).
    dslp_reconcile_minutes: float = Field(default=15.0, ge=0)
    dslp_github_retry_attempts: int = Field(default=4, ge=1, le=10)
    dslp_github_retry_backoff: float = Field(default=1.0, ge=0)
    dslp_github_max_wait: float = Field(default=60.0, ge=0)
    dslp_github_request_gap: float = Field(default=0.25, ge=0)
    dslp_github_write_gap: float = Field(default=1.0, ge=0)
    # More repositories besides GITHUB_REPOSITORY (token mode; an App serves what it is granted).
    dslp_repositories: str = ""
    # GitHub App mode: the app's id and private key (the PEM itself, or a path to a file of it).
    github_app_id: str = ""
    github_app_private_key: SecretStr = SecretStr("")
    # An OAuth (or the App's) client, for people's own sign-in; the web root for its pages.
    github_client_id: str = ""
    github_client_secret: SecretStr = SecretStr("")
    github_web_url: str = "https://github.com"
    # Seals people's GitHub user tokens (a Fernet key).
    dslp_secret_key: SecretStr = SecretStr("")

    # Slack
    slack_bot_token: SecretStr = SecretStr("")
    slack_signing_secret: SecretStr = SecretStr("")
    slack_app_token: SecretStr = SecretStr("")
    slack_api_url: str = "https://slack.com/api/"
    # Installing into many workspaces (Slack's OAuth v2 flow) instead of SLACK_BOT_TOKEN.
    slack_client_id: str = ""
    slack_client_secret: SecretStr = SecretStr("")

    # Microsoft Teams
    microsoft_app_id: str = ""
    microsoft_app_password: SecretStr = SecretStr("")
    microsoft_app_tenant_id: str = ""
    microsoft_app_type: str = "MultiTenant"
    dslp_teams_allow_anonymous: bool = False
    microsoft_openid_metadata_url: str = (
        "https://login.botframework.com/v1/.well-known/openidconfiguration"
    )

    # Server and behaviour
    host: str = "0.0.0.0"
    port: int = Field(default=3000, ge=0, le=65535)
    dslp_public_url: str = ""
    dslp_timezone: str = "UTC"
    dslp_log_level: str = "INFO"
    dslp_log_format: str = "text"
    dslp_admins: str = ""
    dslp_slack_team_ids: str = ""
    dslp_teams_tenant_ids: str = ""
    dslp_notify_config: str = ""
    # GitHub Projects (v2): new DSLP issues go to this project (`owner/number`), their phase
    # into its single-select field of this name; a channel's `project owner/number` wins.
    dslp_project: str = ""
    dslp_project_field: str = "Status"
    dslp_max_body_bytes: int = 1_048_576
    dslp_body_read_timeout: float = Field(default=30.0, gt=0)
    dslp_metrics_port: int = Field(default=0, ge=0, le=65535)  # 0: /metrics on `port`

    # Filing: a worker renews its lease while it files; a replica that dies mid-filing
    # holds its drafts until the lease runs out; the others look for such drafts every sweep.
    dslp_filing_lease_seconds: float = Field(default=30.0, gt=0)
    dslp_filing_sweep_seconds: float = Field(default=30.0, gt=0)
    # While GitHub is down a submitted draft is retried with growing waits, then given back.
    dslp_filing_give_up_hours: float = Field(default=24.0, gt=0)
    dslp_filing_retry_seconds: float = Field(default=10.0, ge=0)

    # Notifications: more than this many waiting for one channel go out as one summary (0: never).
    dslp_coalesce_after: int = Field(default=10, ge=0)

    # Daily digest
    dslp_digest_grace_minutes: float = Field(default=120.0, ge=0)
    dslp_digest_resync_seconds: float = Field(default=60.0, gt=0)
    dslp_digest_lookback_days: int = Field(default=30, ge=1)

    @field_validator("github_repository")
    @classmethod
    def _owner_slash_name(cls, value: str) -> str:
        return owner_slash_name(value)

    @field_validator("dslp_repositories")
    @classmethod
    def _each_owner_slash_name(cls, value: str) -> str:
        for name in split_names(value):
            owner_slash_name(name)
        return value

    @field_validator("dslp_teams_allow_anonymous", mode="before")
    @classmethod
    def _empty_is_off(cls, value: object) -> object:
        """An empty DSLP_TEAMS_ALLOW_ANONYMOUS means off, never an error or a yes."""
        return False if isinstance(value, str) and not value.strip() else value

    @property
    def database_url(self) -> str:
        """The configured URL, or an SQLite file in the data folder."""
        if self.dslp_database_url:
            return self.dslp_database_url
        return f"sqlite:///{self.dslp_data_dir / 'dslp-bot.sqlite3'}"

    @property
    def has_sign_in_client(self) -> bool:
        return bool(self.github_client_id and self.github_client_secret.get_secret_value())

    @property
    def uses_github_app(self) -> bool:
        """App mode: the bot acts through installation tokens, not GITHUB_TOKEN."""
        return bool(self.github_app_id)

    @property
    def uses_github(self) -> bool:
        token = bool(self.github_token.get_secret_value())
        return bool((token or self.uses_github_app) and self.github_repository)

    @property
    def extra_repositories(self) -> tuple[str, ...]:
        """DSLP_REPOSITORIES, without GITHUB_REPOSITORY and duplicates (GitHub ignores case)."""
        seen = {self.github_repository.casefold()}
        extra: list[str] = []
        for name in split_names(self.dslp_repositories):
            if name.casefold() not in seen:
                seen.add(name.casefold())
                extra.append(name)
        return tuple(extra)


class ConfigurationError(ValueError):
    """A setting that passed its type check but cannot work (a bad key file); said at start."""


def owner_slash_name(value: str) -> str:
    if value and (value.count("/") != 1 or value.startswith("/") or value.endswith("/")):
        raise ValueError(f"{value!r}: a repository must look like owner/name")
    return value


def split_names(value: str) -> list[str]:
    """A comma-separated setting as its non-empty, stripped parts."""
    return [part.strip() for part in value.split(",") if part.strip()]


def load_settings() -> Settings:
    return Settings()
