"""DSLP_TEAMS_TENANT_IDS: which Microsoft Entra tenants may talk to the bot.

A multi-tenant app registration can be installed by any organisation; the
allow-list keeps people of other tenants from acting on this team's data.
Checked on the verified request before the activity reaches the SDK, so a
refused activity runs nothing: no reply, no stored reference, no greeting.
"""

from __future__ import annotations

from collections.abc import Mapping


def parse_tenants(text: str) -> frozenset[str]:
    """Comma-separated tenant ids, compared case-insensitively (they are GUIDs); empty = any."""
    return frozenset(part.strip().casefold() for part in text.split(",") if part.strip())


def tenants_named(activity: Mapping[str, object]) -> set[str]:
    """Every tenant id the activity names (conversation and channelData), casefolded."""
    found: set[str] = set()
    conversation = activity.get("conversation")
    if isinstance(conversation, Mapping):
        found.add(str(conversation.get("tenantId") or ""))
    data = activity.get("channelData")
    tenant = data.get("tenant") if isinstance(data, Mapping) else None
    if isinstance(tenant, Mapping):
        found.add(str(tenant.get("id") or ""))
    return {tenant_id.strip().casefold() for tenant_id in found if tenant_id.strip()}


def tenant_allowed(activity: Mapping[str, object], allowed: frozenset[str]) -> bool:
    """Any tenant when the list is empty; else the activity names one, and only listed ones."""
    if not allowed:
        return True
    named = tenants_named(activity)
    return bool(named) and named <= allowed
