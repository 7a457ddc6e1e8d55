"""The parts of an Ask, defined once: answer keys, their labels, and the DSLP outline.

The flow code asks for these keys, the renderer writes them under these
headings and the parser reads them back by the same table, so a part cannot be
renamed in one place and forgotten in another.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from bot.dslp import IssueType

TITLE = "title"
PROBLEM = "problem"
OUTCOME = "outcome"
CURRENT_STATE = "current_state"
SUCCESS = "success"
IMPACT = "impact"
METRICS = "metrics"
CONSTRAINTS = "constraints"
DATA = "data"
STAKEHOLDERS = "stakeholders"

ASK_LABELS: MappingProxyType[str, str] = MappingProxyType(
    {
        TITLE: "Title",
        PROBLEM: "Problem Statement",
        OUTCOME: "Desired Outcome",
        CURRENT_STATE: "Current State",
        SUCCESS: "Success Criteria",
        IMPACT: "Impact",
        METRICS: "Metrics",
        CONSTRAINTS: "Constraints",
        DATA: "Datasets",
        STAKEHOLDERS: "Stakeholders",
    }
)
"""Answer key -> human label, in the order the DSLP template lists them."""

ASK_KEYS: tuple[str, ...] = tuple(ASK_LABELS)


class LinkSection(StrEnum):
    """The living lists of an Ask: links to its Data, Explore and Experiment issues."""

    DATASETS = "datasets"
    EXPLORATIONS = "explorations"
    EXPERIMENTS = "experiments"


@dataclass(frozen=True)
class Heading:
    """One heading of the Ask body, with the answer and/or link list that lives under it.

    `line` is an answer written as one bold labelled line leading the section
    (`***Stakeholders:*** ...`), the way the DSLP templates write `***Ask Reference:***`.
    """

    level: int
    text: str
    key: str | None = None
    links: LinkSection | None = None
    line: str | None = None

    @property
    def markdown(self) -> str:
        return f"{'#' * self.level} {self.text}"


ASK_OUTLINE: tuple[Heading, ...] = (
    Heading(2, "Problem Statement", PROBLEM),
    Heading(3, "Desired Outcome", OUTCOME),
    Heading(3, "Current State", CURRENT_STATE),
    Heading(2, "Success Criteria", SUCCESS),
    Heading(3, "Impact", IMPACT),
    Heading(3, "Metrics", METRICS),
    Heading(3, "Constraints", CONSTRAINTS),
    Heading(2, "Solution Architecture"),
    Heading(2, "Data Requirements"),
    Heading(3, "Datasets", DATA, LinkSection.DATASETS),
    Heading(2, "Understanding and Exploration", links=LinkSection.EXPLORATIONS),
    Heading(2, "Approaches and Experiments", links=LinkSection.EXPERIMENTS),
    # Stakeholders are not a DSLP heading; See Also is where the template keeps
    # the context around an Ask (background, related work), and the people to
    # keep in the loop are that kind of context, not part of the problem itself.
    Heading(2, "See Also", line=STAKEHOLDERS),
    Heading(3, "Background Info"),
    Heading(3, "Related Projects"),
)
"""The Ask body's headings: exactly the DSLP template's, in its order."""

LEGACY_HEADINGS: tuple[Heading, ...] = (Heading(3, "Stakeholders", STAKEHOLDERS),)
"""Headings Asks filed by earlier versions have, still read back."""

LINK_HEADINGS: MappingProxyType[LinkSection, Heading] = MappingProxyType(
    {h.links: h for h in ASK_OUTLINE if h.links is not None}
)

LINK_SECTION_FOR: MappingProxyType[IssueType, LinkSection] = MappingProxyType(
    {
        IssueType.DATA: LinkSection.DATASETS,
        IssueType.EXPLORE: LinkSection.EXPLORATIONS,
        IssueType.EXPERIMENT: LinkSection.EXPERIMENTS,
    }
)
"""Which list of its Ask an issue of each type belongs in."""
