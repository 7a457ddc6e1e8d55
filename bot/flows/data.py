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
        Step(
            KIND,
            t.KIND,
            required=True,
            multiline=False,
            max_length=40,
            options=(
                Option(GET, t.KIND_GET, ("acquire", "acquisition", "existing", "get existing")),
                Option(CREATE, t.KIND_CREATE, ("creation", "new", "build", "create new")),
            ),
        ),
        Step(NAME, t.NAME, required=True, multiline=False, max_length=80),
        Step(DESCRIPTION, t.DESCRIPTION, required=True),
        Step(SOURCES, t.SOURCES, required=True),
        Step(REFERENCE, t.REFERENCE),
        Step(KNOWN_ISSUES, t.KNOWN_ISSUES),
    ),
)
