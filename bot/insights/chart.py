"""The picture: experiment outcomes per week (stacked) and hand-off lead times.

matplotlib (and Pillow) are imported here, inside the functions, only when a chart is drawn,
so starting the bot (and every command but `stats`) does not pay for it.
"""

from __future__ import annotations

import io

from bot.insights import texts as t
from bot.insights.model import Insights, Outcome
from bot.insights.render import DAY, period_name

COLOURS = {Outcome.SUCCEEDED: "#67d157", Outcome.FAILED: "#c2021c", Outcome.ON_HOLD: "#ffd04f"}
"""The DSLP's own label colours."""
PALETTE = 64


def draw(insights: Insights) -> bytes:
    """A PNG of both charts side by side."""
    from matplotlib.figure import Figure  # a Figure of its own needs no pyplot, no display

    figure = Figure(figsize=(10, 4), dpi=100, layout="constrained")
    outcomes, handoffs = figure.subplots(1, 2)
    weeks = [week.strftime("%d %b") for week, _ in insights.weekly]
    bottom = [0] * len(weeks)
    for outcome, colour in COLOURS.items():
        counts = [counts[outcome] for _, counts in insights.weekly]
        outcomes.bar(weeks, counts, bottom=bottom, color=colour, label=outcome.value)
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    outcomes.set_title(t.CHART_OUTCOMES)
    outcomes.legend(loc="upper left")
    outcomes.tick_params(axis="x", labelrotation=60, labelsize=7)
    names = [t.HANDOFF_NAMES[h] for h in insights.handoffs]
    medians = [(s.median / DAY) if s.median else 0.0 for s in insights.handoffs.values()]
    p85s = [(s.p85 / DAY) if s.p85 else 0.0 for s in insights.handoffs.values()]
    handoffs.barh(names, p85s, color="#c9ecff", label=t.CHART_P85)
    handoffs.barh(names, medians, color="#0b4e82", label=t.CHART_MEDIAN, height=0.4)
    handoffs.set_title(t.CHART_HANDOFFS)
    handoffs.legend(loc="lower right")
    figure.suptitle(
        t.CHART_TITLE.format(repository=insights.repository, period=period_name(insights))
    )
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return small(out.getvalue())


def small(png: bytes) -> bytes:
    """The same picture in a 64-colour palette: a third of the bytes, so it fits inside a
    Teams card (about 28 KB a message) and uploads quickly anywhere."""
    from PIL import Image

    out = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=PALETTE).save(
        out, format="PNG", optimize=True
    )
    return out.getvalue()
