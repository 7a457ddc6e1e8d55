"""`dslp-bot report`: one self-contained HTML page for a quarterly review.

Everything is inside the file: the charts as data URIs, the style inline, no
script, and a Content-Security-Policy that forbids loading anything from
anywhere, so opening it makes no request. Every piece of text from outside
(repository names, issue titles) is HTML-escaped where it lands.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape

from bot.insights import texts as t
from bot.insights.model import Insights
from bot.insights.render import duration, lines, percent, period_name

POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
STYLE = (
    "body{font-family:sans-serif;margin:2em;color:#222}"
    "table{border-collapse:collapse;margin:1em 0}"
    "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}"
    "img{max-width:100%}"
)


def page(sections: Sequence[tuple[Insights, bytes]]) -> str:
    body = "".join(section(insights, image) for insights, image in sections)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{POLICY}\">"
        f"<title>{escape(t.REPORT_TITLE)}</title><style>{STYLE}</style></head>"
        f"<body><h1>{escape(t.REPORT_TITLE)}</h1>{body or _p(t.REPORT_EMPTY)}</body></html>"
    )


def section(insights: Insights, image: bytes) -> str:
    title = t.REPORT_SECTION.format(repository=insights.repository, period=period_name(insights))
    picture = base64.b64encode(image).decode("ascii")
    alt = t.CHART_ALT.format(repository=insights.repository, period=period_name(insights))
    return (
        f"<section><h2>{escape(title)}</h2>"
        f"<img src='data:image/png;base64,{picture}' alt='{escape(alt, quote=True)}'>"
        f"{key_numbers(insights)}{per_ask(insights)}{aging(insights)}</section>"
    )


def key_numbers(insights: Insights) -> str:
    rows = [_split(line) for line in lines(insights)[1:]]
    return _table((t.REPORT_MEASURE, t.REPORT_VALUE), rows)


def per_ask(insights: Insights) -> str:
    rows = [
        (
            t.REPORT_ASK.format(number=ask) if ask else t.REPORT_NO_ASK,
            str(rate.succeeded),
            str(rate.failed),
            str(rate.on_hold),
            percent(rate.share),
        )
        for ask, rate in insights.rate_per_ask.items()
    ]
    return _table(t.REPORT_PER_ASK_HEAD, rows) if rows else ""


def aging(insights: Insights) -> str:
    rows = [
        (f"#{item.number}", item.title, str(item.what), duration(item.age), item.over)
        for item in insights.aging
    ]
    return _table(t.REPORT_AGING_HEAD, rows) if rows else ""


def _split(line: str) -> tuple[str, str]:
    label, found, value = line.partition(":** ")
    return (label.removeprefix("**"), value) if found else ("", line.replace("**", ""))


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    heading = "".join(f"<th>{escape(cell)}</th>" for cell in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table><tr>{heading}</tr>{body}</table>"


def _p(text: str) -> str:
    return f"<p>{escape(text)}</p>"
