"""Every flow that opens linked work, with what filing needs to know about each."""

from __future__ import annotations

from types import MappingProxyType

from bot.dslp import IssueType
from bot.flows.data import DATA
from bot.flows.experiment import EXPERIMENT
from bot.flows.explore import EXPLORE
from bot.flows.model import MODEL
from bot.flows.outcome import OUTCOME_FLOW
from bot.flows.spec import Flow
from bot.linked.model import LinkedKind
from bot.render import data, experiment, explore, model

KINDS: MappingProxyType[str, LinkedKind] = MappingProxyType(
    {
        kind.flow.name: kind
        for kind in (
            LinkedKind(DATA, IssueType.DATA, data.NAME),
            LinkedKind(EXPLORE, IssueType.EXPLORE, explore.TITLE),
            LinkedKind(EXPERIMENT, IssueType.EXPERIMENT, experiment.TITLE),
            LinkedKind(MODEL, IssueType.MODEL, model.NAME),
        )
    }
)

FLOWS: MappingProxyType[str, Flow] = MappingProxyType(
    {**{name: kind.flow for name, kind in KINDS.items()}, OUTCOME_FLOW.name: OUTCOME_FLOW}
)
"""For the composition root: merged with the Ask flow into the one flow table."""
