"""A wildfire two outlets follow for four days, one item a day each, beside another fire in
another county on the same days and a town-news background (so names are as rare in the batch
as in a real day's). Shared by the grouping unit tests and the CLI test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from counterpoint.models import Item

# (outlet, hours after the first item, title, summary)
Report = tuple[str, float, str, str]

BASE = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def items_of(reports: list[Report], base: datetime = BASE) -> list[Item]:
    """The reports as items of independent outlets, `base` + the report's hours."""
    return [Item(outlet=outlet, affiliation="independent",
                 feed_url=f"https://{outlet.split()[0].lower()}.example/rss",
                 key=f"{outlet}:{title}", title=title, summary=summary,
                 link=f"https://{outlet.split()[0].lower()}.example/{n}",
                 published=base + timedelta(hours=hours))
            for n, (outlet, hours, title, summary) in enumerate(reports)]

CALDOR: list[Report] = [
    ("Valley Herald", 0, "Caldor fire forces evacuations in Grizzly Flats and Pollock Pines",
     "Flames spread overnight in El Dorado County; Cal Fire told Grizzly Flats and Pollock "
     "Pines to leave and shut Highway 50."),
    ("Valley Herald", 22, "Caldor fire destroys homes in Grizzly Flats, nears Pollock Pines",
     "Dozens of houses burned in Grizzly Flats, Cal Fire said; the Caldor fire was closing on "
     "Pollock Pines and Highway 50 stayed shut across El Dorado County."),
    ("Valley Herald", 46, "Caldor fire jumps Highway 50 towards Pollock Pines",
     "Cal Fire crews lost the line at Highway 50 and the Caldor fire moved on Pollock Pines, "
     "days after it burned Grizzly Flats in El Dorado County."),
    ("Valley Herald", 70, "Pollock Pines and Grizzly Flats evacuees wait as Caldor fire slows",
     "Evacuees from Pollock Pines and Grizzly Flats may not return yet, Cal Fire said, though "
     "the Caldor fire slowed along Highway 50 in El Dorado County."),
]
CALDOR_SECOND: list[Report] = [
    ("Sierra Wire", 24, "Caldor fire burns Grizzly Flats homes, shuts Highway 50",
     "Homes in Grizzly Flats were lost and Highway 50 was closed as the Caldor fire spread "
     "through El Dorado County towards Pollock Pines, Cal Fire said."),
    ("Sierra Wire", 68, "Caldor fire: firefighters hold ridges above Pollock Pines",
     "Firefighters held the Caldor fire on the ridges above Pollock Pines, Cal Fire said; "
     "Highway 50 and Grizzly Flats in El Dorado County remain closed."),
]
# Another fire in another county on those days: the same topic, another event.
DIXIE: list[Report] = [
    ("Valley Herald", 26, "Dixie fire forces evacuations in Greenville and Chester",
     "Winds pushed the Dixie fire towards Greenville in Plumas County; the Forest Service "
     "ordered Chester residents out and closed Highway 89."),
    ("Sierra Wire", 50, "Dixie fire destroys homes in Greenville, nears Chester",
     "Most of Greenville burned, the Forest Service said; the Dixie fire was closing on Chester "
     "and Highway 89 stayed shut across Plumas County."),
]
_TOWNS = ("Lisbon", "Oslo", "Krakow", "Porto", "Tallinn", "Ghent")
_NEWS = (
    ("library reopens after renovation",
     "The central library reopened with a new reading room and longer hours."),
    ("council approves new bus lanes",
     "Councillors voted for bus lanes on the main avenues from next spring."),
    ("orchestra names a new conductor",
     "The city orchestra announced its principal conductor for the coming season."),
    ("museum opens a textile exhibition",
     "The museum's exhibition of woven textiles runs until the end of March."),
    ("marathon route is announced",
     "Organisers published the route of the spring marathon through the old town."),
    ("bakery wins a national prize",
     "A family bakery won the national bread prize for its rye loaf."),
)
BACKGROUND: list[Report] = [
    (f"{town} Daily", 13.0 * k % 72, f"{town} {title}", f"In {town}: {summary}")
    for k, (town, (title, summary)) in enumerate(
        (town, news) for town in _TOWNS for news in _NEWS)
]
