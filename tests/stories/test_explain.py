"""`digest --explain`: the evidence a story was grouped on, as grouping weighed it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from counterpoint.models import Item
from counterpoint.stories.explain import explain_group
from counterpoint.stories.group import GroupingParams, group_items, pair_scores, time_order

BASE = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def item(outlet: str, title: str, summary: str, hours: float) -> Item:
    return Item(outlet=outlet, affiliation="wire", feed_url=f"https://{outlet}.example/rss",
                key=f"{outlet}:{title}", title=title, summary=summary,
                link=f"https://{outlet}.example/{abs(hash(title))}",
                published=BASE + timedelta(hours=hours))


COURT = [
    item("one", "Supreme Court hears arguments on whether the governor can delay the vote",
         "The justices heard arguments on whether the governor may delay the regional vote.", 0),
    item("two", "Justices weigh whether governor may postpone regional vote",
         "The Supreme Court heard the governor's case for postponing the regional vote.", 1),
    item("three", "Court hears governor's bid to delay regional vote",
         "Lawyers for the governor told the Supreme Court a delay of the vote was lawful.", 2),
]
# Other news of the day: the words the court items share are rare in this batch, which is
# what weighs them; over the three items alone every word is common.
FILLER = [item(f"desk{n}", f"{topic} update number {n}", f"Routine {topic} report {n}.", n % 5)
          for n, topic in enumerate(["Weather", "Markets", "Football", "Traffic", "Harvest",
                                     "Tennis", "Shipping", "Rail", "Fishing", "Festival"] * 2)]


def test_explain_over_the_batch_gives_the_scores_grouping_weighed() -> None:
    batch = [*FILLER, *COURT]
    params = GroupingParams()
    story = next(group for group in group_items(batch, params) if len(group) > 1)
    members = [batch[i] for i in story]
    assert set(members) == set(COURT)
    order = time_order(batch)
    rows, cols, scores = pair_scores(batch, order, params)
    grouped = {frozenset((order[r], order[c])): s for r, c, s in
               zip(rows.tolist(), cols.tolist(), scores.tolist(), strict=True)}
    explained = explain_group(members, params, batch)
    assert explained.batch and explained.complete
    assert "recomputed" not in "\n".join(explained.describe())
    assert explained.pairs
    for pair in explained.pairs:
        key = frozenset((story[pair.i], story[pair.j]))
        assert abs(pair.score - grouped[key]) < 1e-9
    alone = explain_group(members, params)
    assert not alone.batch
    # Over the story's items alone the weights differ: that is what the batch spares a reader.
    assert {round(p.score, 6) for p in alone.pairs} != {round(p.score, 6)
                                                       for p in explained.pairs}

