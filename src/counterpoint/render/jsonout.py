"""The versioned JSON documents of CONTRACT.md (schema_version 1).

Fields may be added; none is renamed or dropped without a deprecation path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from counterpoint.models import FeedResult, Item
from counterpoint.render import words
from counterpoint.render.jsontext import (
    EnumMaps,
    Written,
    dumps_indented,
    with_member,
    write_indented,
    written,
)
from counterpoint.timeutil import iso

if TYPE_CHECKING:
    from datetime import datetime

    from counterpoint.analysis.blindspots import Blindspot
    from counterpoint.analysis.coverage import AffiliationCoverage
    from counterpoint.analysis.digest import Digest, DigestStory
    from counterpoint.analysis.figures import ReportedFigure
    from counterpoint.analysis.framing import FramingRow
    from counterpoint.analysis.memory import StoryMemory, Timeline
    from counterpoint.analysis.mix import Mix
    from counterpoint.analysis.reading import ReadingPick
    from counterpoint.analysis.terms import TermUse
    from counterpoint.config.labels import LabelChanges
    from counterpoint.config.load import Config
    from counterpoint.store.db import FeedState
    from counterpoint.stories.explain import GroupExplanation, PairEvidence
    from counterpoint.update.check import ClassBalance, FeedCheck

SCHEMA_VERSION = 1


def dumps(document: dict[str, Any]) -> str:
    return _inert(dumps_indented(document))


def write(document: dict[str, Any], stream: TextIO) -> None:
    """`dumps(document)` and a newline written to `stream` piece by piece (a 10,000-item digest
    is 32 MB of text: held whole, with its escaped copies, it was a third of the peak memory)."""
    write_indented(document, lambda text: stream.write(_inert(text)))
    stream.write("\n")


def _inert(text: str) -> str:
    # ensure_ascii keeps control and bidi characters as \u escapes: safe to cat to a terminal;
    # <, > and & escaped too, so the text stays inert if someone embeds the JSON in HTML.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def feed_json(feed: FeedResult) -> dict[str, Any]:
    return {
        "outlet": feed.outlet,
        "affiliation": feed.affiliation,
        "url": feed.url,
        "status": feed.status.value,
        "error": feed.error,
        "new_items": feed.new_items,
        "http_status": feed.http_status,
        "healthy": feed.healthy,
        "checked_at": iso(feed.checked_at),
        "last_ok": iso(feed.last_ok),
        "newest_item": iso(feed.newest_item),
        "permanent_redirect": feed.permanent_redirect,
        "elapsed": None if feed.elapsed is None else round(feed.elapsed, 3),
    }


def fetch_json(feeds: list[FeedResult]) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "feeds": [feed_json(f) for f in feeds]}


def item_json(item: Item) -> dict[str, Any]:
    return {
        "title": item.title,
        "link": item.link,
        "outlet": item.outlet,
        "affiliation": item.affiliation,
        "published": iso(item.published),
        "dated": item.dated,
        "summary": item.summary,
    }


def memory_json(memory: StoryMemory | None) -> dict[str, Any]:
    """A story's `key`, `status` and `since_last` (CONTRACT.md, story memory)."""
    if memory is None:  # a digest built without memory (library use)
        return {"key": None, "status": None, "since_last": None}
    since = memory.since_last
    return {
        "key": memory.key,
        "status": memory.status,
        "since_last": {
            "items": since.items,
            "outlets": list(since.outlets),
            "affiliations": list(since.affiliations),
            "figures": [{"outlet": f.outlet, "kind": f.kind, "was": _number(f.was),
                         "now": _number(f.now)} for f in since.figures],
            "retitled": [{"link": r.link, "outlet": r.outlet, "was": r.was, "now": r.now}
                         for r in since.retitled],
        },
    }


def coverage_json(entry: AffiliationCoverage) -> dict[str, Any]:
    return {"affiliation": entry.affiliation, "covered": entry.covered, "silent": entry.silent,
            "unreachable": entry.unreachable, "unmatched": entry.unmatched, "total": entry.total}


def framing_json(row: FramingRow) -> dict[str, Any]:
    return {"affiliation": row.affiliation, "outlet": row.outlet, "title": row.title,
            "sentence": row.sentence, "link": row.link}


def figure_json(reported: ReportedFigure) -> dict[str, Any]:
    figure = reported.figure
    return {"outlet": reported.outlet, "affiliation": reported.affiliation,
            "link": reported.link, "in": reported.field, "kind": figure.kind,
            "value": _number(figure.value), "high": _number(figure.high), "text": figure.text,
            "phrase": figure.phrase, "qualifier": figure.qualifier, "vague": figure.vague,
            "unit": figure.unit, "context": figure.context}


def _number(value: float | None) -> float | int | None:
    return int(value) if value is not None and value.is_integer() else value


def term_json(term: TermUse) -> dict[str, Any]:
    return {"group": term.group, "label": term.label, "framing": term.framing,
            "outlet": term.outlet, "affiliation": term.affiliation, "forms": list(term.forms),
            "count": term.count, "context": term.context, "link": term.link}


def blindspot_json(spot: Blindspot) -> dict[str, Any]:
    return {"story": spot.story_id, "title": spot.title, "affiliation": spot.affiliation,
            "outlets": list(spot.outlets), "items": spot.items,
            "silent": {key: list(names) for key, names in spot.silent.items()},
            "unreachable": list(spot.unreachable)}


def pick_json(pick: ReadingPick) -> dict[str, Any]:
    return {"story": pick.story_id, "title": pick.item.title, "link": pick.item.link,
            "outlet": pick.item.outlet, "affiliation": pick.item.affiliation}


def mix_json(mix: Mix, affiliations: dict[str, str]) -> dict[str, Any]:
    document: dict[str, Any] = {
        "configured": dict(mix.configured), "fetched": dict(mix.fetched),
        "shown": dict(mix.shown),
        "warnings": [words.mix_warning(w, affiliations) for w in mix.warnings]}
    if mix.page is not None:
        document["front_page"] = dict(mix.page)
    return document


def story_json(entry: DigestStory, coverage: Written | None = None) -> dict[str, Any]:
    """`coverage`: the story's coverage map as written ahead (`EnumMaps`), if it was."""
    story = entry.story
    return {
        "id": story.id,
        **memory_json(entry.memory),
        "title": story.title,
        "topic": story.topic,
        "affiliations": story.affiliations,
        "outlets": list(story.outlets),
        "first_published": iso(story.first_published),
        "last_published": iso(story.last_published),
        # A state is a StrEnum: str.__str__ gives its value as a plain string without the enum
        # machinery (400,000 of them in a 10,000-item digest).
        "coverage": coverage if coverage is not None else dict(
            zip(entry.coverage, map(str.__str__, entry.coverage.values()), strict=True)),
        "coverage_by_affiliation": [coverage_json(c) for c in entry.sides],
        "blindspot": entry.blindspot is not None,
        "items": [item_json(i) for i in story.items],
        "framing": [framing_json(row) for row in entry.framing],
        "figures": [figure_json(f) for f in entry.figures],
        "terms": [term_json(t) for t in entry.terms],
    }


class StoriesAhead:
    """Stories' JSON written while the read-ahead child works out their topics, the last thing
    `build_digest` waits for (its `meanwhile`): each story's members before "topic" and after
    it, the topic put between them when the document is written (`digest_json(ahead=)`).
    Stops when the topics are in, or once `budget` characters are waiting to be written: the
    stories of a 10,000-item digest are 29 MB of text, all written ahead within the budget (with
    16 MB the parent stopped half way, waited for the topics, then wrote the rest: ~0.2 s on the
    critical path); the process then holds ~130 MB, under grouping's peak."""

    def __init__(self, budget: int = 32 << 20) -> None:
        self.texts: dict[str, tuple[Written, Written]] = {}
        self.budget = budget
        self._coverage = EnumMaps()  # each story's coverage map: 60 % of the text

    def __call__(self, entries: Sequence[DigestStory], ready: Callable[[], bool]) -> None:
        size = 0
        for entry in entries:
            if size > self.budget or ready():
                return
            # The map sits one level into the story, which sits at depth 2 (see `story`).
            document = story_json(entry, self._coverage.written(entry.coverage, 3))
            keys = list(document)
            at = keys.index("topic")
            head = written({key: document[key] for key in keys[:at]}, 2)
            tail = written({key: document[key] for key in keys[at + 1:]}, 2)
            self.texts[entry.id] = head, tail
            size += len(head) + len(tail)

    def story(self, entry: DigestStory) -> dict[str, Any] | Written:
        """The story's JSON: as written ahead (and then let go), or made now."""
        texts = self.texts.pop(entry.id, None)
        if texts is None:
            return story_json(entry)
        return with_member(texts[0], "topic", entry.story.topic, texts[1])


def digest_json(digest: Digest, *, streamed: bool = False,
                ahead: StoriesAhead | None = None) -> dict[str, Any]:
    """Every story in the window (the front page is named by `front_page`). `streamed`: the
    stories as a generator, each made as `write` reaches it (whole, the stories of a
    10,000-item digest are 25 MB of dictionaries); `ahead`: stories written ahead."""
    story = story_json if ahead is None else ahead.story
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": iso(digest.generated_at),
        "config": digest.config_path,
        "window": {"since": iso(digest.window.since), "until": iso(digest.window.until)},
        "affiliations": digest.affiliations,
        "affiliation_order": list(digest.order),
        "mix": mix_json(digest.mix, digest.affiliations),
        "feeds": [feed_json(f) for f in digest.feeds],
        "topics": [{"label": t.label, "key": t.key, "stories": list(t.story_ids)}
                   for t in digest.topics],
        "stories": ((story(s) for s in digest.stories) if streamed
                    else [story(s) for s in digest.stories]),
        "stories_total": digest.total_stories,
        "front_page": list(digest.front_page),
        "blindspots": [b.story_id for b in digest.blindspots],
        "blindspot_details": [blindspot_json(b) for b in digest.blindspots],
        "reading_list": [pick_json(pick) for pick in digest.reading_list],
    }


def feed_check_json(check: FeedCheck, now: datetime) -> dict[str, Any]:
    """One `feeds check` result: the feed record plus what the check saw (it stores nothing)."""
    document = feed_json(check.result)
    document.pop("new_items")
    age = check.newest_age(now)
    document.update({
        "items": check.result.items_seen, "dated_items": check.dated_items,
        "newest_age_seconds": None if age is None else int(age.total_seconds()),
        "stale": check.stale, "fix": check.fix})
    return document


def timeline_json(story: Timeline) -> dict[str, Any]:
    """`story KEY --json`: one story's timeline across days."""
    found = story.history
    return {
        "schema_version": SCHEMA_VERSION,
        "key": found.key,
        "asked": found.asked,
        "title": found.title,
        "first_shown": iso(found.first_seen),
        "last_shown": iso(found.last_seen),
        "items": [{"outlet": i.outlet, "affiliation": i.affiliation, "title": i.title,
                   "link": i.link, "published": iso(i.published),
                   "first_shown": iso(i.first_shown)} for i in found.items],
        "sides": [{"affiliation": s.affiliation, "joined": iso(s.joined), "outlet": s.outlet,
                   "items": s.items} for s in story.sides],
        "silent_outlets": list(story.silent_outlets),
        "figures": [{"outlet": t.outlet, "affiliation": t.affiliation, "kind": t.kind,
                     "values": [{"at": iso(at), "value": _number(v)} for at, v in t.values]}
                    for t in story.figures],
        "retitled": [{"link": link, "outlet": outlet,
                      "titles": [{"at": iso(at), "title": title} for at, title in versions]}
                     for link, outlet, versions in story.retitled],
        "runs": [{"at": iso(at), "command": command, "status": status, "items": count,
                  "key": shown_as} for at, command, status, count, shown_as in found.runs],
    }


def _pair_json(pair: PairEvidence) -> dict[str, Any]:
    return {"i": pair.i, "j": pair.j, "score": round(pair.score, 4),
            "shared_terms": list(pair.shared_terms), "hours_apart": pair.hours_apart,
            "same_outlet": pair.same_outlet, "anchors": list(pair.anchors),
            "continuing": pair.continuing,
            "different_places": (None if pair.different_places is None
                                 else [list(names) for names in pair.different_places])}


def explanation_json(explanation: GroupExplanation) -> dict[str, Any]:
    """`digest --explain sN --json` (without schema_version, story and title)."""
    return {"threshold": explanation.threshold, "window_hours": explanation.window_hours,
            "complete": explanation.complete,
            "scores_over": "window" if explanation.batch else "story",
            "weaker_pairs": explanation.weaker, "shared_terms": list(explanation.shared_terms),
            "merges": [{"left": list(step.left), "right": list(step.right),
                        "score": round(step.score, 4), "link": _pair_json(step.link)}
                       for step in explanation.merges],
            "pairs": [_pair_json(pair) for pair in explanation.pairs]}


def feed_checks_json(config: Config, checks: Sequence[FeedCheck], now: datetime) -> dict[str, Any]:
    """`feeds check --json`."""
    return {
        "schema_version": SCHEMA_VERSION, "config": config.display_path,
        "checked_at": iso(now),
        "stale_after_seconds": int(config.settings.stale_after.total_seconds()),
        "feeds": [feed_check_json(check, now) for check in checks],
    }


def class_balance_json(config: Config, rows: Sequence[ClassBalance],
                       fetched: bool) -> dict[str, Any]:
    """`feeds balance --json`: configured outlets and healthy feeds per class."""
    return {
        "schema_version": SCHEMA_VERSION, "config": config.display_path,
        "fetched": fetched,
        "affiliations": config.affiliations,
        "balance": config.balance,
        "classes": [row.to_json() for row in rows],
        "thin": [row.affiliation for row in rows if row.state == "thin"],
        "empty": [row.affiliation for row in rows if row.state == "empty"],
        "never_fetched": [row.affiliation for row in rows if row.state == "never fetched"],
    }


def outlets_json(config: Config, states: Mapping[str, FeedState] | None) -> dict[str, Any]:
    """`feeds list --json`: the feeds.toml field names, absent fields as null, and the stored
    status of each feed."""
    from counterpoint.config.load import OUTLET_TEXT_FIELDS

    def status(url: str) -> dict[str, Any]:
        state = (states or {}).get(url)
        if state is None or state.checked_at is None:
            return {"url": url, "status": "never_fetched", "error": None, "http_status": None,
                    "checked_at": None, "last_ok": None, "newest_item": None,
                    "permanent_redirect": None}
        return {"url": url, "status": state.status, "error": state.error,
                "http_status": state.http_status, "checked_at": iso(state.checked_at),
                "last_ok": iso(state.last_ok), "newest_item": iso(state.newest_item),
                "permanent_redirect": state.permanent_redirect}

    return {
        "schema_version": SCHEMA_VERSION,
        "config": config.display_path,
        "affiliations": config.affiliations,
        "outlets": [
            {"name": o.name, "affiliation": o.affiliation, "feeds": list(o.feeds),
             **{f: getattr(o, f) for f in OUTLET_TEXT_FIELDS},
             "feed_status": [status(url) for url in o.feeds]}
            for o in config.outlets
        ],
    }


def label_changes_json(config: Config, changes: LabelChanges) -> dict[str, Any]:
    """`feeds list --changed --json`: fields old → new, outlets added and removed."""
    return {
        "schema_version": SCHEMA_VERSION, "config": config.display_path,
        "changed": [{"name": name, "fields": {key: {"old": old, "new": new}
                                              for key, (old, new) in fields.items()}}
                    for name, fields in changes.changed.items()],
        "added": [o.name for o in changes.added],
        "removed": [o.name for o in changes.removed],
    }
