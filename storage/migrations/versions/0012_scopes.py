"""Workspaces and tenants never mix: every role, link, subscription and setting gets a scope.

A scope is `slack:<team or Enterprise Grid org id>`, `teams:<tenant id>` or
`console:local` (bot.types.Scope). Today's rows are moved under the scope
they came from: roles and GitHub links by their member key
(`platform:team:user`), subscriptions, digest settings, drafts and filed Asks
by their place's platform and team id, snoozes by their channel key. A row
whose scope cannot be told (a Slack or Teams row with no team id) goes to the
`legacy` scope, which no live workspace matches: nobody reads or changes it
until an operator moves it (README, "Workspaces and tenants").

Enterprise Grid: rows made before this revision carry the workspace's team id,
while the live scope of a Grid org is its org id; the README says how to move
them. Roles, links and subscriptions are small tables, so they are rebuilt
(read, recreated with the scope in their keys, written back) rather than
altered key by key, which SQLite cannot do in place. A subscription that
would now repeat another in its scope (only possible in `legacy`) is dropped.

Revision ID: 0012_scopes
Revises: 0011_repositories
Create Date: 2025-12-01
"""

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0012_scopes"
down_revision: str | None = "0011_repositories"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEGACY = "legacy"
PLACE_TABLES = ("drafts", "filed_asks", "digest_subscriptions")


def scope_of(platform: str, team_id: str) -> str:
    if platform == "console":
        return "console:local"
    if platform in ("slack", "teams") and team_id:
        return f"{platform}:{team_id}"
    return LEGACY


def member_scope(member: str) -> str:
    platform, _, rest = member.partition(":")
    return scope_of(platform, rest.partition(":")[0])


def channel_key(old_key: str) -> str:
    """Digest keys were `platform:team:channel`; now `<scope>:channel` (the same when known)."""
    platform, _, rest = old_key.partition(":")
    team = rest.partition(":")[0]
    return old_key if scope_of(platform, team) != LEGACY else f"{LEGACY}:{old_key}"


def _string(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.String(), nullable=False)


def _time(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def _roles(scoped: bool) -> list[Any]:
    keys = ["scope", "repository", "role", "member"] if scoped else ["repository", "role", "member"]
    return [
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        *([_string("scope")] if scoped else []),
        _string("repository"),
        _string("role"),
        _string("member"),
        _time("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_roles"),
        sa.UniqueConstraint(*keys, name="uq_roles_" + "_".join(keys)),
    ]


def _links(scoped: bool) -> list[Any]:
    key = ["scope", "member"] if scoped else ["member"]
    return [
        *([_string("scope")] if scoped else []),
        _string("member"),
        _string("login"),
        _time("created_at"),
        sa.PrimaryKeyConstraint(*key, name="pk_github_links"),
    ]


def _subscriptions(scoped: bool) -> list[Any]:
    keys = (
        ["repository", "scope", "channel_id"]
        if scoped
        else ["repository", "platform", "team_id", "channel_id"]
    )
    return [
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _string("repository"),
        *([_string("scope")] if scoped else []),
        _string("platform"),
        _string("team_id"),
        _string("channel_id"),
        _string("created_by"),
        _time("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_subscriptions"),
        sa.UniqueConstraint(*keys, name="uq_subscriptions_" + "_".join(keys)),
    ]


Row = dict[str, Any]


def _rebuild(
    name: str,
    columns: list[Any],
    change: Callable[[Row], Row],
    unique: Sequence[str],
    indexes: Sequence[tuple[str, list[str]]],
) -> None:
    """Read every row, recreate the table, write the changed rows back (first of a key wins)."""
    bind = op.get_bind()
    old = sa.Table(name, sa.MetaData(), autoload_with=bind)
    rows = [change(dict(row)) for row in bind.execute(sa.select(old)).mappings()]
    op.drop_table(name)
    table = op.create_table(name, *columns)
    for index, fields in indexes:
        op.create_index(index, name, fields)
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for row in sorted(rows, key=lambda r: (r.get("id") or 0, str(r.get("created_at")))):
        key = tuple(row[field] for field in unique)
        if key not in seen:
            seen.add(key)
            kept.append({column.name: row[column.name] for column in table.columns})
    if kept:
        op.bulk_insert(table, kept)


def _with_scope(row: Row) -> Row:
    scope = (
        member_scope(row["member"])
        if "member" in row
        else scope_of(row["platform"], row["team_id"])
    )
    return {**row, "scope": scope}


def upgrade() -> None:
    _rebuild("roles", _roles(True), _with_scope, ["scope", "repository", "role", "member"], [])
    _rebuild(
        "github_links",
        _links(True),
        _with_scope,
        ["scope", "member"],
        [("ix_github_links_scope_login", ["scope", "login"])],
    )
    _rebuild(
        "subscriptions",
        _subscriptions(True),
        _with_scope,
        ["repository", "scope", "channel_id"],
        [("ix_subscriptions_repository", ["repository"])],
    )
    for name in PLACE_TABLES:
        _add_place_scope(name)
    _rekey("digest_subscriptions", "id")
    _rekey("digest_snoozes", "issue_number")


def _add_place_scope(name: str) -> None:
    with op.batch_alter_table(name) as batch:
        batch.add_column(sa.Column("scope", sa.String(), nullable=True))
    bind = op.get_bind()
    table = sa.table(name, sa.column("platform"), sa.column("team_id"), sa.column("scope"))
    pairs = bind.execute(sa.select(table.c.platform, table.c.team_id).distinct()).all()
    for platform, team_id in pairs:
        bind.execute(
            table.update()
            .where(table.c.platform == platform, table.c.team_id == team_id)
            .values(scope=scope_of(platform, team_id))
        )
    with op.batch_alter_table(name) as batch:
        batch.alter_column("scope", existing_type=sa.String(), nullable=False)


def _rekey(name: str, other_key: str, new: Callable[[str], str] = channel_key) -> None:
    bind = op.get_bind()
    table = sa.table(name, sa.column("key"), sa.column(other_key))
    for key, other in bind.execute(sa.select(table.c.key, table.c[other_key])).all():
        if new(key) != key:
            bind.execute(
                table.update()
                .where(table.c.key == key, table.c[other_key] == other)
                .values(key=new(key))
            )


def _without_scope(row: Row) -> Row:
    return {key: value for key, value in row.items() if key != "scope"}


def downgrade() -> None:
    """Back to one scope for all: where two scopes held the same key, the first row stays."""
    prefix = f"{LEGACY}:"
    _rekey("digest_snoozes", "issue_number", lambda key: key.removeprefix(prefix))
    _rekey("digest_subscriptions", "id", lambda key: key.removeprefix(prefix))
    for name in reversed(PLACE_TABLES):
        with op.batch_alter_table(name) as batch:
            batch.drop_column("scope")
    _rebuild(
        "subscriptions",
        _subscriptions(False),
        _without_scope,
        ["repository", "platform", "team_id", "channel_id"],
        [("ix_subscriptions_repository", ["repository"])],
    )
    _rebuild(
        "github_links",
        _links(False),
        _without_scope,
        ["member"],
        [("ix_github_links_login", ["login"])],
    )
    _rebuild("roles", _roles(False), _without_scope, ["repository", "role", "member"], [])
