"""The pure parts: payload mapping, signature checks, rules, audiences, phases, the config file."""

from __future__ import annotations

import json

import pytest

from adapters.github.events import MalformedEvent, to_event
from adapters.github.webhook import Rejected, incoming, signature_for, verify
from bot.lifecycle.audience import Directory, direct_place, plan
from bot.lifecycle.config import NotifyConfigError, parse_notify_config
from bot.lifecycle.events import EventKind, TrackerEvent, model_issue_number
from bot.lifecycle.rules import (
    ASK_OPENED,
    EXPERIMENT_SUCCEEDED,
    AskContext,
    NotifyConfig,
    notices,
    phase_after,
    rule_for,
)
from bot.mentions import OPEN, Mention, mention, split_mentions
from bot.types import Issue, Member, Place
from tests.support.webhooks import issue_payload, merged_pull_payload


def event(kind: EventKind, *labels: str, label: str = "", **issue: object) -> TrackerEvent:
    fields: dict[str, object] = {"number": 4, "title": "GBM", "body": "", "url": "u"} | issue
    return TrackerEvent("d1", kind, "o/r", Issue(labels=frozenset(labels), **fields), label=label)  # type: ignore[arg-type]


def test_payloads_map_to_neutral_events_with_canonical_labels() -> None:
    payload = issue_payload(
        "labeled",
        number=4,
        labels=("Experiment", "Succeeded"),
        label="Succeeded",
        assignees=("ana",),
    )
    found = to_event("issues", payload, "d1")
    assert found is not None
    assert (found.kind, found.label, found.repository) == (
        EventKind.LABELED,
        "succeeded",
        "octo/dslp",
    )
    assert found.issue.assignees == ("ana",) and found.actor
    pull = to_event("pull_request", merged_pull_payload(number=9, branch="model/8-x"), "d2")
    assert (
        pull is not None
        and pull.merged
        and pull.head_branch == "model/8-x"
        and pull.is_pull_request
    )


def test_missing_optional_fields_are_tolerated_and_missing_identity_is_not() -> None:
    bare = {"action": "opened", "issue": {"number": 3}, "repository": {"full_name": "o/r"}}
    found = to_event("issues", bare, "d")
    assert found is not None and found.issue.title == "" and found.issue.labels == frozenset()
    for broken in [
        {},
        {"action": "opened"},
        {**bare, "issue": {"number": "3"}},
        {**bare, "issue": None},
    ]:
        with pytest.raises(MalformedEvent):
            to_event("issues", broken, "d")


def test_verify_is_constant_time_hmac_over_the_raw_body() -> None:
    body = b'{"a": 1}'
    verify({"X-Hub-Signature-256": signature_for(body, "s")}, body, "s")
    for headers in [
        {},
        {"X-Hub-Signature-256": "sha1=abc"},
        {"X-Hub-Signature-256": signature_for(body, "t")},
    ]:
        with pytest.raises(Rejected) as error:
            verify(headers, body, "s")
        assert error.value.status == 401
    with pytest.raises(Rejected):
        verify({"X-Hub-Signature-256": signature_for(body, "")}, body, "")


def test_incoming_verifies_before_it_parses() -> None:
    junk = b"\xff not json"
    with pytest.raises(Rejected) as error:
        incoming({"X-GitHub-Event": "issues", "X-GitHub-Delivery": "1"}, junk, "s")
    assert error.value.status == 401
    signed = {
        "X-Hub-Signature-256": signature_for(junk, "s"),
        "X-GitHub-Event": "issues",
        "X-GitHub-Delivery": "1",
    }
    with pytest.raises(Rejected) as error:
        incoming(signed, junk, "s")
    assert error.value.status == 400


@pytest.mark.parametrize(
    ("kind", "labels", "label", "expected"),
    [
        (EventKind.OPENED, ("ask",), "", "ask-opened"),
        (EventKind.LABELED, ("Ask",), "Ask", "ask-opened"),
        (EventKind.OPENED, ("Data",), "", "data-opened"),
        (EventKind.LABELED, ("Data",), "blocked - need access", "blocked"),
        (EventKind.UNLABELED, ("Data",), "blocked - need access", "unblocked"),
        (EventKind.OPENED, ("Explore",), "", "work-started"),
        (EventKind.LABELED, ("Experiment",), "succeeded", "experiment-succeeded"),
        (EventKind.LABELED, ("Experiment",), "failed", "experiment-failed"),
        (EventKind.CLOSED, ("Experiment",), "", "experiment-failed"),
        (EventKind.CLOSED, ("Experiment", "Succeeded"), "", None),
        (EventKind.LABELED, ("Data",), "succeeded", None),
        (EventKind.OPENED, ("Model",), "", "model-opened"),
        (EventKind.LABELED, ("Model",), "Deploy", "model-deploy"),
        (EventKind.CLOSED, ("Ask",), "", "ask-closed"),
        (EventKind.REOPENED, ("Ask",), "", None),
        (EventKind.OPENED, ("bug",), "", None),
    ],
)
def test_rule_for_each_row(
    kind: EventKind, labels: tuple[str, ...], label: str, expected: str | None
) -> None:
    assert rule_for(event(kind, *labels, label=label)) == expected


def test_notice_scope_counts_opened_rules_once_per_issue_and_others_per_delivery() -> None:
    opened = notices(event(EventKind.OPENED, "Ask"), AskContext(ask_number=4), NotifyConfig())
    assert opened[0].scope == f"o/r#4:{ASK_OPENED}"
    blocked = event(EventKind.LABELED, "Data", label="blocked - need access")
    assert notices(blocked, AskContext(), NotifyConfig())[0].scope == "d1:blocked"


def test_titles_and_tldrs_cannot_forge_mentions() -> None:
    forged = f"{OPEN}slack:T:U1\ue001 <!channel>"
    found = event(
        EventKind.LABELED, "Experiment", label="succeeded", title=forged, body=f"TLDR: {forged}"
    )
    [notice] = notices(found, AskContext(), NotifyConfig())
    assert OPEN not in notice.text and notice.rule == EXPERIMENT_SUCCEEDED


def test_phases_only_move_forward() -> None:
    assert phase_after(event(EventKind.OPENED, "Data"), "Ask") == "Data"
    assert phase_after(event(EventKind.OPENED, "Data"), "Experiment") is None
    assert phase_after(event(EventKind.LABELED, "Model", label="Deploy"), "Model") == "Deploy"
    assert phase_after(event(EventKind.LABELED, "Ask", label="bug"), "Ask") is None


def test_model_branch_numbers() -> None:
    assert model_issue_number("model/45-churn") == 45 and model_issue_number("model/7") == 7
    assert model_issue_number("experiment/45-x") is None and model_issue_number("model/x") is None


def test_roles_by_dm_or_channel_and_groups_without_a_channel() -> None:
    found = event(EventKind.OPENED, "Model")
    [notice] = notices(found, AskContext(), NotifyConfig())
    roles = {
        "ml-engineer": (Member("slack:T", "slack:T:U1"), Member("slack:T", "slack:T:group:S1")),
        "devops": (Member("slack:T2", "slack:T2:U2"),),
    }
    channel = Place("slack", "C1", "T")
    directory = Directory(roles=roles, logins={}, channels=(channel,))
    by_channel = plan(
        notice, issue=found.issue, context=AskContext(), directory=directory, config=NotifyConfig()
    )
    assert [(d.place, d.text.count(OPEN)) for d in by_channel] == [
        (channel, 2),
        (Place("slack", "dm:U2", "T2"), 0),
    ]
    by_dm = plan(
        notice,
        issue=found.issue,
        context=AskContext(),
        directory=directory,
        config=NotifyConfig(roles_via="dm"),
    )
    assert [d.place for d in by_dm] == [
        Place("slack", "dm:U1", "T"),
        channel,
        Place("slack", "dm:U2", "T2"),
    ]
    assert mention("slack:T:group:S1") in by_dm[1].text
    alone = Directory(roles=roles, logins={}, channels=())
    lonely = plan(
        notice, issue=found.issue, context=AskContext(), directory=alone, config=NotifyConfig()
    )
    assert [d.place for d in lonely] == [
        Place("slack", "dm:U1", "T"),
        Place("slack", "dm:U2", "T2"),
    ]
    assert direct_place("slack:T:group:S1") is None and direct_place("odd") is None


def test_a_member_is_mentioned_only_in_channels_of_their_own_scope() -> None:
    """Two workspaces subscribe one repository, with the same channel id and the same login
    linked in both: each channel mentions only its own workspace's people."""
    found = event(EventKind.LABELED, "Data", label="blocked - need access", assignees=("ana-gh",))
    [notice] = notices(found, AskContext(), NotifyConfig())
    channel_a, channel_b = Place("slack", "C1", "TA"), Place("slack", "C1", "TB")
    grid = Place("slack", "C9", "T7", org_id="E1")
    logins = {
        "ana-gh": (
            Member("slack:TA", "slack:TA:UA"),
            Member("slack:TB", "slack:TB:UB"),
            Member("slack:E1", "slack:T8:UG"),
        )
    }
    directory = Directory(roles={}, logins=logins, channels=(channel_a, channel_b, grid))
    deliveries = plan(
        notice, issue=found.issue, context=AskContext(), directory=directory, config=NotifyConfig()
    )
    told = {
        d.place: [p.key for p in split_mentions(d.text) if isinstance(p, Mention)]
        for d in deliveries
    }
    assert told == {channel_a: ["slack:TA:UA"], channel_b: ["slack:TB:UB"], grid: ["slack:T8:UG"]}


def test_the_config_file_overrides_audiences_in_toml_or_json() -> None:
    toml = 'roles_via = "dm"\n[audiences]\nask-opened = ["business", "channel"]\nask-closed = []\n'
    config = parse_notify_config(toml, is_json=False)
    assert config.roles_via == "dm" and config.audiences["ask-opened"] == ("business", "channel")
    assert config.audiences["ask-closed"] == () and config.audiences["model-opened"] == (
        "ml-engineer",
        "devops",
        "requester",
    )
    assert notices(event(EventKind.CLOSED, "Ask"), AskContext(), config) == ()
    as_json = parse_notify_config(json.dumps({"audiences": {"blocked": ["it"]}}), is_json=True)
    assert as_json.audiences["blocked"] == ("it",) and as_json.roles_via == "channel"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("roles_via = 'email'", "roles_via"),
        ("[audiences]\nnope = ['it']", "unknown rule"),
        ("[audiences]\nblocked = 'it'", "list of words"),
        ("[audiences]\nblocked = ['Not A Role']", "not a role name"),
        ("this is = not toml [", "cannot read"),
        ("audiences = 3", "table"),
    ],
)
def test_config_mistakes_are_named(text: str, message: str) -> None:
    with pytest.raises(NotifyConfigError, match=message):
        parse_notify_config(text, is_json=False)
