"""Insights as a few lines of text (pure), for every platform and the weekly post."""

from __future__ import annotations

from datetime import timedelta

from bot.insights import texts as t
from bot.insights.model import Handoff, Insights, Spread

DAY = timedelta(days=1)


def duration(value: timedelta | None) -> str:
    """`5 h` under a day, `4.5 d` under ten days, `12 d` beyond."""
    if value is None:
        return t.NO_VALUE
    if value < DAY:
        return f"{value / timedelta(hours=1):.0f} h"
    days = value / DAY
    return f"{days:.1f} d" if days < 10 else f"{days:.0f} d"


def percent(value: float | None) -> str:
    return t.NO_VALUE if value is None else f"{100 * value:.0f} %"


def spread_text(spread: Spread) -> str:
    return t.SPREAD.format(median=duration(spread.median), p85=duration(spread.p85))


def period_name(insights: Insights) -> str:
    return t.PERIOD_NAMES.get(insights.window.name, insights.window.name)


def lines(insights: Insights) -> list[str]:
    return [
        header(insights),
        speed(insights),
        rates(insights),
        time_shares(insights),
        handoffs(insights),
        aging(insights),
    ]


def changes(this: Insights, last: Insights) -> str:
    """This week against the week before: experiments concluded and the success rate."""
    return t.WEEK_CHANGES.format(
        concluded=this.concluded,
        before=last.concluded,
        share=percent(this.rate.share),
        share_before=percent(last.rate.share),
    )


def header(insights: Insights) -> str:
    since = insights.earliest.date().isoformat() if insights.earliest else t.NO_VALUE
    return t.HEADER.format(
        repository=insights.repository, period=period_name(insights), since=since
    )


def speed(insights: Insights) -> str:
    per_ask = t.NO_VALUE if insights.per_ask_week is None else f"{insights.per_ask_week:.2f}"
    return t.SPEED.format(
        per_ask=per_ask,
        concluded=insights.concluded,
        asks=insights.asks_iterating,
        spread=spread_text(insights.to_outcome),
    )


def rates(insights: Insights) -> str:
    rate = insights.rate
    return t.RATES.format(
        share=percent(rate.share),
        succeeded=rate.succeeded,
        failed=rate.failed,
        on_hold=rate.on_hold,
        modelled=insights.asks_with_model,
        asks=insights.asks,
        model_share=percent(insights.model_share),
    )


def time_shares(insights: Insights) -> str:
    ordered = sorted(insights.open_time, key=lambda kind: -insights.open_time[kind])
    parts = [
        t.TIME_PART.format(kind=kind.value, share=percent(insights.time_share(kind)))
        for kind in ordered
    ]
    return t.TIME.format(shares=", ".join(parts))


def slowest(insights: Insights) -> Handoff | None:
    measured = [(s.median, h) for h, s in insights.handoffs.items() if s.median is not None]
    return max(measured)[1] if measured else None


def handoffs(insights: Insights) -> str:
    parts = [
        t.HANDOFF_PART.format(name=t.HANDOFF_NAMES[handoff], spread=spread_text(spread))
        for handoff, spread in insights.handoffs.items()
    ]
    worst = slowest(insights)
    tail = t.SLOWEST.format(name=t.HANDOFF_NAMES[worst]) if worst is not None else ""
    return t.HANDOFFS.format(parts="; ".join(parts)) + tail


def aging(insights: Insights) -> str:
    if not any(item.over for item in insights.aging):
        return t.AGING_NONE
    items = [
        t.AGING_ITEM.format(number=a.number, what=a.what, age=duration(a.age))
        for a in insights.aging[:5]
    ]
    late = sum(item.over == "p85" for item in insights.aging)
    return t.AGING.format(count=len(insights.aging), late=late, items=", ".join(items))
