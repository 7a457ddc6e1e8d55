"""Reading a repository hook's delivery log from the fake GitHub, as the real API shapes it."""

from __future__ import annotations

from adapters.github.reconcile import NoHook, RepositoryHook, _failed
from adapters.github.retry import RetryPolicy
from adapters.github.tracker import GitHubTracker
from tests.fakes.github_api import FakeGitHub

# Nobody listens there (port 9 on loopback): every attempt fails to connect, at once.
URL = "http://127.0.0.1:9/github/webhook"


def tracker(fake: FakeGitHub) -> GitHubTracker:
    policy = RetryPolicy(attempts=1, request_gap=0, write_gap=0)
    return GitHubTracker(token=fake.token, repository="octo/dslp", api_url=fake.api_url,
                         policy=policy)  # fmt: skip


async def test_the_hook_is_found_by_its_url_and_its_log_read_page_by_page(
    fake_github: FakeGitHub,
) -> None:
    fake_github.add_hook("http://127.0.0.1:9/another-hook", "s")
    hook = fake_github.add_hook(URL, "s")
    for n in range(250):
        await fake_github.deliver(hook, "issues", {"action": "opened", "n": n}, guid=f"g{n}")
    github = tracker(fake_github)
    source = RepositoryHook(rest=github, repository="octo/dslp", url=URL)
    seen, cursor, pages = [], "", 0
    while True:
        page, cursor = await source.page(cursor)
        seen += page
        pages += 1
        if not cursor:
            break
    assert pages == 3 and [d.guid for d in seen] == [f"g{n}" for n in reversed(range(250))]
    assert all(d.status_code == 0 and not d.succeeded for d in seen)
    await source.redeliver(seen[0])
    await fake_github.redeliveries_done()
    assert (hook.deliveries[-1].guid, hook.deliveries[-1].redelivery) == ("g249", True)
    await github.aclose()


async def test_no_hook_pointing_at_us_says_so(fake_github: FakeGitHub) -> None:
    github = tracker(fake_github)
    source = RepositoryHook(rest=github, repository="octo/dslp", url=URL)
    try:
        await source.page("")
    except NoHook as error:
        assert URL in str(error)
    else:
        raise AssertionError("expected NoHook")
    await github.aclose()


async def test_an_event_is_asked_for_only_when_none_of_its_attempts_succeeded(
    fake_github: FakeGitHub,
) -> None:
    hook = fake_github.add_hook(URL, "s")
    for guid in ("a", "b", "b"):
        await fake_github.deliver(hook, "issues", {"action": "opened"}, guid=guid)
    hook.deliveries[2].status_code = 202  # b's redelivery went through
    github = tracker(fake_github)
    page, _ = await RepositoryHook(rest=github, repository="octo/dslp", url=URL).page("")
    assert [d.guid for d in _failed(page)] == ["a"]
    await github.aclose()
