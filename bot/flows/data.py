"""The Data flow: get an existing dataset, or create a new one (the first answer decides)."""

from __future__ import annotations

from bot.dslp import IssueType
from bot.flows.spec import Flow, Option, Step
from bot.linked.model import renderer
from bot.render.data import (
    CREATE,
    DESCRIPTION,
    GET,
    KIND,
    KNOWN_ISSUES,
    NAME,
    REFERENCE,
    SOURCES,
    render_data,
)
from bot.texts import data as t

DATA = Flow(
    name="data",
    title=t.FLOW_TITLE,
    issue_label=IssueType.DATA,
    render=renderer(render_data),
    steps=(
        Step(KIND, t.KIND_LABEL, t.KIND_QUESTION, t.KIND_EXAMPLE, required=True,
             multiline=False, max_length=40, options=(
                 Option(GET, t.KIND_GET, ("acquire", "acquisition", "existing", "get existing")),
                 Option(CREATE, t.KIND_CREATE, ("creation", "new", "build", "create new")),
             )),
        Step(NAME, t.NAME_LABEL, t.NAME_QUESTION, t.NAME_EXAMPLE, required=True,
             multiline=False, max_length=80),
        Step(DESCRIPTION, t.DESCRIPTION_LABEL, t.DESCRIPTION_QUESTION, t.DESCRIPTION_EXAMPLE,
             required=True),
        Step(SOURCES, t.SOURCES_LABEL, t.SOURCES_QUESTION, t.SOURCES_EXAMPLE, required=True),
        Step(REFERENCE, t.REFERENCE_LABEL, t.REFERENCE_QUESTION, t.REFERENCE_EXAMPLE),
        Step(KNOWN_ISSUES, t.KNOWN_ISSUES_LABEL, t.KNOWN_ISSUES_QUESTION, t.KNOWN_ISSUES_EXAMPLE),
    ),
)  # fmt: skip
