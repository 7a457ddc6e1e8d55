"""The Ask as a modal: a FormSpec as input blocks, a review step, and what a submission says.

`private_metadata` carries the draft id and where to answer (channel,
thread, response_url): it comes back signed by Slack with the submission,
so the answer goes where the person asked, and a view naming someone
else's draft (or an older app version's view) is recognised and refused.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from adapters.slack import texts as t
from adapters.slack.blocks import (
    MAX_MODAL_BLOCKS,
    Block,
    buttons,
    context,
    escape,
    mrkdwn,
    plain,
    sections,
)
from bot.conversation.forms import FormField, FormSpec
from bot.types import Choice

FORM_CALLBACK = "dslp_form"
REVIEW_CALLBACK = "dslp_review"
INFO_CALLBACK = "dslp_info"
EDIT_ACTION = "dslp_edit_form"
META_VERSION = 1
MAX_METADATA = 3000
MAX_TITLE = 24
MAX_INPUT = 3000
MAX_LABEL = 2000
MAX_HINT = 2000
MAX_ERROR = 300
MAX_OPTIONS = 100
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_PLACEHOLDER = 150
View = dict[str, Any]


@dataclass(frozen=True)
class Meta:
    """Where a modal's draft lives and where its answers go; `user` is the draft's owner."""

    draft: str
    user: str
    team: str = ""
    channel: str = ""
    thread: str = ""
    response_url: str = ""
    org: str = ""

    def dump(self) -> str:
        """JSON under Slack's 3000 characters; the response_url is dropped before anything else."""
        text = json.dumps({"v": META_VERSION, **asdict(self)}, separators=(",", ":"))
        if len(text) > MAX_METADATA and self.response_url:
            return replace(self, response_url="").dump()
        return text

    @classmethod
    def load(cls, text: str) -> Meta | None:
        """None for anything but this version's metadata: old views must not be guessed at."""
        try:
            raw = json.loads(text or "{}")
        except ValueError:
            return None
        if not isinstance(raw, dict) or raw.pop("v", None) != META_VERSION:
            return None
        if not all(isinstance(value, str) for value in raw.values()):
            return None
        try:
            meta = cls(**raw)
        except TypeError:
            return None
        return meta if meta.draft and meta.user else None


def modal(
    callback_id: str, title: str, blocks: list[Block], meta: Meta | None, **extra: Any
) -> View:
    view: View = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, MAX_TITLE),
        "close": plain(t.MODAL_CLOSE, MAX_TITLE),
        "blocks": blocks[:MAX_MODAL_BLOCKS],
        **extra,
    }
    if meta is not None:
        view["private_metadata"] = meta.dump()
    return view


def form_view(spec: FormSpec, meta: Meta) -> View:
    notes = [context(mrkdwn(note)) for note in spec.notes]
    blocks = [*notes, *(_input(field) for field in spec.fields)]
    submit = {"submit": plain(t.MODAL_NEXT, MAX_TITLE)}
    title = t.FORM_TITLES.get(spec.flow, spec.title)
    return modal(FORM_CALLBACK, title, blocks, meta, notify_on_close=False, **submit)


def _input(field: FormField) -> Block:
    hint = t.EXAMPLE_HINT.format(question=field.question, example=field.example)
    return {
        "type": "input",
        "block_id": field.key,
        "optional": not field.required,
        "label": plain(field.label, MAX_LABEL),
        "hint": plain(hint, MAX_HINT),
        "element": _select(field) if field.options else _text_input(field),
    }


def _text_input(field: FormField) -> Block:
    limit = min(field.max_length, MAX_INPUT)
    element: Block = {
        "type": "plain_text_input",
        "action_id": field.key,
        "multiline": field.multiline,
        "max_length": limit,
    }
    if field.value:
        element["initial_value"] = field.value[:limit]
    return element


def _select(field: FormField) -> Block:
    """A choice step: only its options can be sent, so the core's check cannot fail on a typo."""
    options = [_option(value, label) for value, label in field.options[:MAX_OPTIONS]]
    element: Block = {
        "type": "static_select",
        "action_id": field.key,
        "placeholder": plain(t.SELECT_PLACEHOLDER, MAX_PLACEHOLDER),
        "options": options,
    }
    chosen = [o for o in options if o["value"] == field.value]
    if chosen:
        element["initial_option"] = chosen[0]
    return element


def _option(value: str, label: str) -> Block:
    return {"text": plain(label, MAX_OPTION_TEXT), "value": value[:MAX_OPTION_VALUE]}


def form_values(view: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, str | None] | None:
    """The typed values by field key; None when the view lacks one of the flow's fields.

    A form without every field comes from an older version of the app:
    applying it would wipe the answers it does not show.
    """
    state = view.get("state", {}).get("values", {})
    values: dict[str, str | None] = {}
    for key in keys:
        element = state.get(key, {}).get(key)
        if not isinstance(element, dict):
            return None
        values[key] = _typed(element)
    return values


def _typed(element: Mapping[str, Any]) -> str | None:
    """A text input's value, or the value of a select's chosen option (None: nothing chosen)."""
    chosen = element.get("selected_option")
    value = chosen.get("value") if isinstance(chosen, dict) else element.get("value")
    return value if isinstance(value, str) else None


def errors(found: Mapping[str, str]) -> dict[str, str]:
    return {key: message[:MAX_ERROR] for key, message in found.items()}


def review_view(title: str, summary: str, last_error: str, meta: Meta, flow: str = "ask") -> View:
    """Coaching before filing: what is strong, what could be stronger, what is still missing."""
    intro = t.REVIEW_INTRO.format(title=escape(title))
    blocks = sections(intro) + sections(mrkdwn(summary))
    if last_error:
        blocks += sections(t.REVIEW_LAST_ERROR.format(error=escape(last_error)))
    blocks += buttons([Choice(t.REVIEW_EDIT, meta.draft)])
    blocks[-1]["elements"][0]["action_id"] = EDIT_ACTION
    submit = {"submit": plain(t.MODAL_FILE, MAX_TITLE)}
    heading = t.REVIEW_TITLES.get(flow, t.REVIEW_TITLE)
    return modal(REVIEW_CALLBACK, heading, blocks, meta, **submit)


def info_view(title: str, text: str) -> View:
    """A closing note (filed, out of date, refused): a modal with only a Close button."""
    view = modal(INFO_CALLBACK, title, sections(text), None)
    view["close"] = plain(t.MODAL_DONE, MAX_TITLE)
    return view
