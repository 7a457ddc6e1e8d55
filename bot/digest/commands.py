"""The `digest` command: subscribe a channel, post now, settings, thresholds, snoozes.

Every change to a subscription is announced to `listeners` (the scheduler
registers one), so a new time takes effect at once, without a restart.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.commands import Command, Commands, Request
from bot.digest import schedule as s
from bot.digest.model import (
    DEFAULT_DAYS,
    MAX_DAYS,
    MIN_DAYS,
    Clock,
    Reason,
    Schedule,
    Subscription,
    Thresholds,
    place_key,
)
from bot.digest.ports import SnoozeStore, SubscriptionStore
from bot.digest.service import DigestBuilder, failure_text
from bot.permissions.model import ANYONE, READ, WRITE, Need
from bot.render.user_text import shown
from bot.repositories.references import named_repository, parse_issue
from bot.texts import digest as t
from bot.types import Reply, Say

Listener = Callable[[str], Awaitable[None]]
SNOOZE_DAYS = 7
TIMEZONE_CONTEXT = "timezone"
RULE_NAMES = ", ".join(f"`{reason}`" for reason in Reason)


class DigestCommands:
    def __init__(
        self,
        *,
        commands: Commands,
        subscriptions: SubscriptionStore,
        snoozes: SnoozeStore,
        builder: DigestBuilder,
        clock: Clock,
        default_zone: str = "UTC",
    ) -> None:
        self._commands = commands
        self._subscriptions = subscriptions
        self._snoozes = snoozes
        self._builder = builder
        self._clock = clock
        self._default_zone = default_zone
        self.listeners: list[Listener] = []
        self._actions: dict[str, Callable[[Request, list[str]], Awaitable[list[Reply]]]] = {
            "daily": self.daily,
            "off": self.off,
            "now": self.now,
            "settings": self.settings,
            "threshold": self.threshold,
            "empty": self.empty,
            "snooze": self.snooze,
        }

    def register(self) -> None:
        command = Command(
            "digest",
            t.DIGEST_USAGE,
            t.DIGEST_SUMMARY,
            self.handle,
            digest_needs,
            snoozed_repository,
        )
        self._commands.register(command)

    async def handle(self, request: Request) -> list[Reply]:
        word, *rest = request.args.split() or ["help"]
        action = self._actions.get(word.casefold())
        if action is None:
            prefix = "" if word == "help" else t.UNKNOWN.format(word=shown(word)) + "\n"
            return [Say(prefix + t.HELP.format(rules=RULE_NAMES))]
        return await action(request, rest)

    def zone_for(self, request: Request) -> str:
        return zone_for(request, self._default_zone)

    async def _changed(self, key: str) -> None:
        for listener in self.listeners:
            await listener(key)

    async def daily(self, request: Request, words: list[str]) -> list[Reply]:
        parsed = s.parse_schedule(words, self.zone_for(request))
        if isinstance(parsed, s.BadSchedule):
            return [Say(parsed.message)]
        now = self._clock()
        current = await self._subscriptions.get(key=place_key(request.place))
        place = request.place.channel
        wanted = (current or Subscription(place, parsed)).changed(
            place=place, schedule=parsed, schedule_since=now
        )
        saved = await self._subscriptions.save(subscription=wanted)
        await self._changed(saved.key)
        return [Say(schedule_line(t.SUBSCRIBED, parsed, now))]

    async def off(self, request: Request, _: list[str]) -> list[Reply]:
        key = place_key(request.place)
        if not await self._subscriptions.delete(key=key):
            return [Say(t.NOT_SUBSCRIBED)]
        await self._changed(key)
        return [Say(t.UNSUBSCRIBED)]

    async def now(self, request: Request, _: list[str]) -> list[Reply]:
        """The same digest the schedule would post, but always saying so when nothing is stalled."""
        key = place_key(request.place)
        current = await self._subscriptions.get(key=key)
        thresholds = current.thresholds if current else Thresholds()
        try:
            built = await self._builder.build(
                place=request.place.channel, thresholds=thresholds, now=self._clock()
            )
        except Exception as error:
            return [Say(t.COULD_NOT_BUILD.format(reason=failure_text(error)))]
        return built

    async def settings(self, request: Request, _: list[str]) -> list[Reply]:
        current = await self._subscriptions.get(key=place_key(request.place))
        if current is None:
            lines = [t.SETTINGS_NONE, *_threshold_lines(Thresholds())]
            return [Say("\n".join(lines))]
        head = schedule_line(t.SETTINGS_HEADER, current.schedule, self._clock())
        empty = t.SETTINGS_EMPTY_POST if current.post_empty else t.SETTINGS_EMPTY_SKIP
        return [Say("\n".join([head, *_threshold_lines(current.thresholds), empty]))]

    async def threshold(self, request: Request, words: list[str]) -> list[Reply]:
        if len(words) != 2:
            return [Say(t.THRESHOLD_USAGE.format(rules=RULE_NAMES))]
        rule, days = words[0].casefold(), words[1]
        if rule not in DEFAULT_DAYS:
            return [Say(t.THRESHOLD_BAD_RULE.format(word=words[0], rules=RULE_NAMES))]
        if not days.isdigit() or not MIN_DAYS <= int(days) <= MAX_DAYS:
            return [Say(t.THRESHOLD_BAD_DAYS.format(word=days, low=MIN_DAYS, high=MAX_DAYS))]
        current = await self._subscriptions.get(key=place_key(request.place))
        if current is None:
            return [Say(t.NOT_SUBSCRIBED)]
        reason = Reason(rule)
        changed = current.changed(thresholds=current.thresholds.with_days(reason, int(days)))
        await self._subscriptions.save(subscription=changed)
        return [Say(t.THRESHOLD_SET.format(rule=reason, days=int(days)))]

    async def empty(self, request: Request, words: list[str]) -> list[Reply]:
        choice = words[0].casefold() if len(words) == 1 else ""
        if choice not in ("post", "skip"):
            return [Say(t.EMPTY_USAGE)]
        current = await self._subscriptions.get(key=place_key(request.place))
        if current is None:
            return [Say(t.NOT_SUBSCRIBED)]
        await self._subscriptions.save(subscription=current.changed(post_empty=choice == "post"))
        return [Say(t.EMPTY_POST if choice == "post" else t.EMPTY_SKIP)]

    async def snooze(self, request: Request, words: list[str]) -> list[Reply]:
        """`#N` is the channel's repository's issue, `owner/repo#N` that repository's (which
        `Commands` resolved into `request.repository`, checked against it)."""
        ref = parse_issue(words[0]) if len(words) == 1 else None
        if ref is None:
            return [Say(t.SNOOZE_USAGE)]
        repository, now = request.repository or self._builder.tracker.repository, self._clock()
        until = now + timedelta(days=SNOOZE_DAYS)
        await self._snoozes.snooze(
            key=place_key(request.place),
            repository=repository,
            number=ref.number,
            at=now,
            until=until,
        )
        when = _when(until, self._default_zone)
        return [Say(t.SNOOZED.format(number=ref.number, repository=repository, until=when))]


def snoozed_repository(args: str) -> str | None:
    """`snooze owner/repo#N` names its repository; every other action is the channel's."""
    word, _, rest = args.strip().partition(" ")
    return named_repository(rest) if word.casefold() == "snooze" else None


def zone_for(request: Request, default_zone: str) -> str:
    """The platform's zone when the adapter gave one, else DSLP_TIMEZONE, else UTC."""
    for candidate in (request.context.get(TIMEZONE_CONTEXT, ""), default_zone):
        if s.zone(candidate) is not None:
            return s.zone_name(candidate)
    return "UTC"


CHANGES = frozenset({"daily", "off", "threshold", "empty", "snooze"})


async def digest_needs(request: Request) -> Need:
    """Changing a channel's digest needs write; showing one, read; help and settings, nothing."""
    word = (request.args.split() or ["help"])[0].casefold()
    if word in CHANGES:
        return WRITE
    return READ if word == "now" else ANYONE


def schedule_line(template: str, schedule: Schedule, now: datetime) -> str:
    upcoming = s.next_after(schedule, now)
    return template.format(
        days=t.DAYS_TEXT[schedule.days],
        time=schedule.time_text,
        zone=schedule.timezone,
        next=_when(upcoming.at, schedule.timezone),
    )


def _when(moment: datetime, zone_name: str) -> str:
    tz = s.zone(zone_name)
    local = moment.astimezone(tz) if tz is not None else moment
    return local.strftime("%a %d %b %Y %H:%M")


def _threshold_lines(thresholds: Thresholds) -> list[str]:
    return [
        t.SETTINGS_THRESHOLD.format(rule=reason, days=days, what=t.RULE_TEXT[reason])
        for reason, days in thresholds.as_dict().items()
    ]
