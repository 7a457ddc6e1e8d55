"""Teams mentions in command text as core tokens: pure rewriting and entity reading."""

from __future__ import annotations

from typing import Any

from microsoft_agents.activity import Activity

from adapters.teams.mentions_in import Found, mentions_of, names, rewrite
from bot.mentions import mention

BOB_KEY = "teams:t1:aad-bob"


def test_mentions_become_tokens_and_the_bots_own_is_dropped() -> None:
    found = [Found("<at>bot</at>", "", ""), Found("<at>Bob</at>", BOB_KEY, "Bob")]
    text = "<at>bot</at> role add it <at>Bob</at>&nbsp;"
    assert rewrite(text, found) == f"role add it {mention(BOB_KEY)}"


def test_an_unresolved_mention_is_its_plain_name() -> None:
    found = [Found("<at>Ghost &amp; Co</at>", "", "Ghost & Co")]
    assert rewrite("role add it <at>Ghost &amp; Co</at>", found) == "role add it Ghost & Co"


def test_the_same_name_twice_maps_in_order() -> None:
    found = [Found("<at>Bob</at>", BOB_KEY, "Bob"), Found("<at>Bob</at>", "teams:t1:b2", "Bob")]
    assert rewrite("<at>Bob</at> <at>Bob</at>", found) == (
        f"{mention(BOB_KEY)} {mention('teams:t1:b2')}"
    )


def test_typed_token_delimiters_and_entities_cannot_forge_a_mention() -> None:
    typed = "title \ue000teams:t1:x\ue001 and &#xe000;teams:t1:y&#xe001;"
    assert rewrite(typed, []) == "title teams:t1:x and teams:t1:y"


def test_entity_text_missing_from_the_text_is_ignored() -> None:
    assert rewrite("plain words", [Found("<at>Bob</at>", BOB_KEY, "Bob")]) == "plain words"


def activity(entities: list[dict[str, Any]]) -> Activity:
    return Activity.model_validate(
        {
            "type": "message",
            "text": "x",
            "recipient": {"id": "28:bot", "name": "bot"},
            "entities": entities,
        }
    )


def entity(name: str, **account: str) -> dict[str, Any]:
    return {"type": "mention", "text": f"<at>{name}</at>", "mentioned": {"name": name, **account}}


async def test_entities_give_the_entra_id_and_ask_only_for_bare_teams_ids() -> None:
    asked: list[str] = []

    async def resolve(user_id: str) -> str:
        asked.append(user_id)
        return "aad-carol" if user_id == "29:carol" else ""

    found = await mentions_of(
        activity(
            [
                entity("bot", id="28:bot"),
                entity("Bob", id="29:bob", aadObjectId="aad-bob"),
                entity("Carol", id="29:carol"),
                entity("Ghost", id="29:ghost"),
                entity("Dan", id="aad-dan"),
            ]
        ),
        "t1",
        resolve,
    )
    assert [f.key for f in found] == [
        "",
        "teams:t1:aad-bob",
        "teams:t1:aad-carol",
        "",
        "teams:t1:aad-dan",
    ]
    assert asked == ["29:carol", "29:ghost"]
    assert names(found) == {
        "teams:t1:aad-bob": "Bob",
        "teams:t1:aad-carol": "Carol",
        "teams:t1:aad-dan": "Dan",
    }


async def test_without_a_tenant_nothing_becomes_a_token() -> None:
    async def resolve(user_id: str) -> str:
        return ""

    found = await mentions_of(activity([entity("Bob", id="29:b", aadObjectId="a")]), "", resolve)
    assert found == [Found("<at>Bob</at>", "", "Bob")]
