"""SqlTeamsReferences on SQLite and PostgreSQL: upsert, lookups, the greeting flag."""

from __future__ import annotations

from dataclasses import replace

from storage.database import Database
from storage.teams_references import SqlTeamsReferences, TeamsReference

PERSONAL = TeamsReference(
    conversation_id="a:1",
    service_url="https://smba.example/emea/",
    reference={"conversation": {"id": "a:1"}, "serviceUrl": "https://smba.example/emea/"},
    conversation_type="personal",
    tenant_id="t1",
    user_id="aad-alice",
    user_name="Alice",
    bot_id="28:bot",
)
CHANNEL = replace(PERSONAL, conversation_id="19:c", conversation_type="channel", user_id="")


async def test_save_upserts_and_keeps_the_greeting_flag(database: Database) -> None:
    store = SqlTeamsReferences(database)
    await store.save(ref=PERSONAL)
    assert await store.mark_greeted(conversation_id="a:1") is True
    assert await store.mark_greeted(conversation_id="a:1") is False
    moved = await store.save(ref=replace(PERSONAL, service_url="https://smba.example/amer/"))
    assert moved.service_url.endswith("/amer/") and moved.greeted is True
    assert moved.reference == dict(PERSONAL.reference)
    assert await store.mark_greeted(conversation_id="a:1", greeted=False) is True


async def test_lookups_by_conversation_personal_chat_and_names(database: Database) -> None:
    store = SqlTeamsReferences(database)
    await store.save(ref=PERSONAL)
    await store.save(ref=CHANNEL)
    assert (await store.by_conversation(conversation_id="19:c")) is not None
    assert await store.by_conversation(conversation_id="nope") is None
    personal = await store.personal(tenant_id="t1", user_id="aad-alice")
    assert personal is not None and personal.conversation_id == "a:1"
    assert await store.personal(tenant_id="t2", user_id="aad-alice") is None
    assert await store.names(tenant_id="t1", user_ids=["aad-alice", "x"]) == {"aad-alice": "Alice"}
    assert await store.names(tenant_id="t1", user_ids=[]) == {}
    assert await store.mark_greeted(conversation_id="never-seen") is False
