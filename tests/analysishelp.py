"""Literal outlets, items and feed results shared by the analysis tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from counterpoint.models import FeedResult, FeedStatus, Item, Outlet, Story

NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)
STORY_START = NOW - timedelta(hours=6)


def outlet(name: str, affiliation: str, *feeds: str) -> Outlet:
    return Outlet(name, affiliation, feeds or (f"https://{name.lower().replace(' ', '')}/rss",))


def item(name: str, affiliation: str, title: str = "Headline", summary: str = "",
         *, hours_ago: float = 6, key: str | None = None, link: str | None = "auto") -> Item:
    return Item(outlet=name, affiliation=affiliation, feed_url=f"https://{name}/rss",
                key=key or f"{name}:{title}", title=title, summary=summary,
                link=f"https://{name}/{key or title}" if link == "auto" else link,
                published=NOW - timedelta(hours=hours_ago))


def ok(name: str, affiliation: str, *, newest: datetime = NOW - timedelta(hours=1),
       url: str | None = None, last_ok: datetime | None = NOW) -> FeedResult:
    return FeedResult(outlet=name, affiliation=affiliation,
                      url=url or f"https://{name.lower().replace(' ', '')}/rss",
                      status=FeedStatus.OK, checked_at=NOW, last_ok=last_ok,
                      newest_item=newest, healthy=True)


def down(name: str, affiliation: str, *, newest: datetime | None = NOW - timedelta(hours=1),
         url: str | None = None) -> FeedResult:
    return FeedResult(outlet=name, affiliation=affiliation,
                      url=url or f"https://{name.lower().replace(' ', '')}/rss",
                      status=FeedStatus.ERROR, error="connection refused", checked_at=NOW,
                      last_ok=NOW - timedelta(days=2), newest_item=newest, healthy=False)


# Sentences after the seed articles of the opposition (NCRI/MEK) sites.
SEED_STORIES = (
    ("Free Iran rally in Paris draws tens of thousands",
     "Tomorrow, June 30th, is the NCRI's annual Free Iran gathering in Paris."),
    ("November 2019 uprising remembered",
     "There were around 1,500 deaths, 4,000 people injured and many more thousands arrested."),
    ("Free Iran Global Summit held online",
     "The summit connected over 30,000 locations from above 100 countries."),
)

OUTLETS = (
    outlet("IRNA", "government"),
    outlet("Press TV", "government"),
    outlet("NCRI", "opposition"),
    outlet("Iran Focus", "opposition"),
    outlet("Reuters", "wire"),
    outlet("AP", "wire"),
    outlet("Amnesty", "ngo"),
    outlet("HRW", "ngo"),
)


def healthy_results() -> list[FeedResult]:
    return [ok(o.name, o.affiliation) for o in OUTLETS]


def opposition_stories() -> list[Story]:
    stories = []
    for number, (title, summary) in enumerate(SEED_STORIES):
        carriers = ["NCRI", "Iran Focus"] if number == 1 else ["NCRI"]
        stories.append(Story(f"s{number + 1}", title,
                             tuple(item(name, "opposition", title, summary)
                                   for name in carriers)))
    return stories
