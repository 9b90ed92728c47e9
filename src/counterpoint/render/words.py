"""Phrases every view shares (terminal, Markdown, JSON): coverage by side, mix warnings, and feed
health folded into one line. Plain strings; each view escapes or styles them itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from counterpoint.analysis.figures import KINDS
from counterpoint.analysis.mix import Shortfall

if TYPE_CHECKING:
    from counterpoint.analysis.coverage import AffiliationCoverage
    from counterpoint.analysis.figures import ReportedFigure
    from counterpoint.analysis.mix import Mix, MixWarning
    from counterpoint.analysis.terms import TermUse
    from counterpoint.models import FeedResult

FEEDS_CHECK = "counterpoint feeds check"
OFFLINE_EXAMPLE = "examples/offline.toml"


HEADLINE_CHARS = 140
"""Headlines longer than this are clipped on the front page (a Telegram post's first line can
run to 300 characters: five lines at 80 columns); `--story` and the briefing show them whole."""


def headline(text: str, limit: int = HEADLINE_CHARS) -> str:
    """`text` whole if it fits in `limit` characters; else cut after its last word that fits,
    with "…"."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:–—-") + "…"


def plural(count: int, noun: str) -> str:
    """`count` and `noun`, the noun in the plural unless the count is one."""
    if count == 1:
        return f"{count} {noun}"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return f"{count} {noun[:-1]}ies"
    return f"{count} {noun}{'es' if noun.endswith(('s', 'x', 'ch', 'sh')) else 's'}"


def side_coverage(entry: AffiliationCoverage) -> str:
    """`wire 3/5`, `ngo 0/4 (2 unreachable)`, `government 1/3 (2 other language)`."""
    text = f"{entry.affiliation} {entry.covered}/{entry.total}"
    notes = [f"{number} {name}" for number, name in ((entry.unreachable, "unreachable"),
                                                     (entry.unmatched, "other language"))
             if number]
    return f"{text} ({', '.join(notes)})" if notes else text


def describe_coverage(sides: Sequence[AffiliationCoverage]) -> str:
    """`wire 3/5 · ngo 0/4 (2 unreachable) · government 2/6`."""
    return " · ".join(side_coverage(entry) for entry in sides)


def coverage_parts(sides: Sequence[AffiliationCoverage]) -> list[str]:
    """`covered: wire 3/5 · government 2/6`, `silent: ngo, opposition`, `unreachable: …`,
    `other language: …`: a side is named silent when none of its outlets carried the story and
    one was listening; unreachable or other-language when none could be heard."""
    covered = [f"{s.affiliation} {s.covered}/{s.total}" for s in sides if s.covered]
    quiet = [s for s in sides if not s.covered]
    silent = [s.affiliation for s in quiet if s.silent]
    down = [s.affiliation for s in quiet if not s.silent and s.unreachable]
    other = [s.affiliation for s in quiet if not s.silent and not s.unreachable and s.unmatched]
    return [f"{name}: {joiner.join(names)}" for name, joiner, names in (
        ("covered", " · ", covered), ("silent", ", ", silent), ("unreachable", ", ", down),
        ("other language", ", ", other)) if names]


def figure_rows(figures: Sequence[ReportedFigure]) -> list[tuple[str, dict[str, ReportedFigure]]]:
    """A story's figures side by side: one row per kind (its label, e.g. "killed / dead"), in
    each row the first figure of every class that reported one."""
    rows: dict[str, dict[str, ReportedFigure]] = {}
    for figure in figures:
        rows.setdefault(figure.figure.kind, {}).setdefault(figure.affiliation, figure)
    return [(KINDS.get(kind, kind), by_class) for kind, by_class in rows.items()]


def term_use(term: TermUse) -> str:
    """`Unrest: government IRNA says “rioters” (Rioters, riots; 4×)`."""
    times = f"; {term.count}×" if term.count > 1 else ""
    return (f"{term.label}: {term.affiliation} {term.outlet} says “{term.framing}” "
            f"({', '.join(term.forms)}{times})")


def mix_warning(warning: MixWarning, affiliations: Mapping[str, str]) -> str:
    key = warning.affiliation
    name = f"{key} ({affiliations[key]})" if key in affiliations else key
    if warning.kind is Shortfall.NO_OUTLET:
        return f"{name}: no outlet configured, though [balance] gives it weight " \
               f"{warning.weight:g}"
    if warning.kind is Shortfall.NO_HEALTHY_FEED:
        return f"{name}: no healthy feed ({plural(warning.configured, 'outlet')} configured, " \
               "none fetched)"
    share = warning.shown / warning.total if warning.total else 0.0
    shown = "voices on the front page" if warning.on_page else "items shown"
    return f"{name}: {warning.shown} of {warning.total} {shown} ({share:.0%}), " \
           f"[balance] asks for {warning.wanted:.0%}"


def mix_warnings(warnings: Sequence[MixWarning], affiliations: Mapping[str, str]) -> list[str]:
    """The warnings in as few lines as say them: classes short for the same reason share one
    (30 dead feeds give one line, not one per class)."""
    lines: list[str] = []
    absent = [w.affiliation for w in warnings if w.kind is Shortfall.NO_OUTLET]
    dead = [w.affiliation for w in warnings if w.kind is Shortfall.NO_HEALTHY_FEED]
    if len(absent) > 1:
        lines.append(f"no outlet configured for {', '.join(absent)}, though [balance] weighs "
                     "them")
    if len(dead) > 1:
        lines.append(f"no healthy feed for {', '.join(dead)}: the digest cannot hear them")
    for warning in warnings:
        if (warning.kind is Shortfall.NO_OUTLET and len(absent) > 1) or \
                (warning.kind is Shortfall.NO_HEALTHY_FEED and len(dead) > 1):
            continue
        lines.append(mix_warning(warning, affiliations))
    return lines


def mix_counts(counts: Mapping[str, int]) -> str:
    """`government 4 · wire 2`: classes with nothing to count are left out."""
    return " · ".join(f"{key} {number}" for key, number in counts.items() if number) or "none"


def mix_lines(mix: Mix) -> list[str]:
    """`configured: …`, `fetched: …` and `shown: …`, one line each (no warnings)."""
    return [f"{name}: " + " · ".join(f"{key} {number}" for key, number in counts.items())
            for name, counts in (("configured", mix.configured), ("fetched", mix.fetched),
                                 ("shown", mix.shown))]


def failure_kind(error: str | None) -> str:
    """What went wrong, without the detail: `HTTP 500`, `DNS lookup failed`, `timed out`."""
    if not error:
        return "unknown error"
    if error.startswith("HTTP "):
        return " ".join(error.split()[:2])
    if error.startswith("timed out"):
        return "timed out"
    if error.startswith("waiting"):
        return "waiting (Retry-After)"
    head = error.split(":", 1)[0].strip()
    return head if len(head) <= 40 else head[:39] + "…"


def failure_kinds(feeds: Sequence[FeedResult]) -> list[tuple[str, int]]:
    """Kinds of failure among unhealthy feeds, most frequent first."""
    kinds = Counter(failure_kind(feed.error) for feed in feeds if not feed.healthy)
    return sorted(kinds.items(), key=lambda entry: (-entry[1], entry[0]))


def feed_health(feeds: Sequence[FeedResult]) -> list[str]:
    """Feed health in one line, and one more when most feeds failed the same way.

    `31 of 35 feeds ok; 4 failed: DNS lookup failed ×3, HTTP 500 ×1 — counterpoint feeds check`.
    """
    if not feeds:
        return ["No feeds configured."]
    offline = all(feed.status.value == "offline" for feed in feeds)
    failed = [feed for feed in feeds if not feed.healthy]
    ok = len(feeds) - len(failed)
    head = f"{ok} of {plural(len(feeds), 'feed')} ok"
    if offline:
        head += " (offline: as last fetched)"
    if not failed:
        return [head]
    never = offline and all(feed.error == "never fetched" for feed in failed)
    if never and len(failed) == len(feeds):
        return [f"Offline, and no feed has been fetched yet: run `counterpoint fetch` "
                f"(or try `counterpoint --config {OFFLINE_EXAMPLE} fetch`)."]
    kinds = failure_kinds(feeds)
    shown = ", ".join(f"{kind} ×{number}" for kind, number in kinds[:3])
    if len(kinds) > 3:
        shown += f", {sum(number for _, number in kinds[3:])} other"
    lines = [f"{head}; {len(failed)} failed: {shown} — `{FEEDS_CHECK}`"]
    kind, number = kinds[0]
    if number * 2 > len(feeds):
        hint = _hint(kind)
        most = "Every feed" if number == len(feeds) else "Most feeds"
        lines.append(f"{most} failed alike ({kind}){': ' + hint if hint else '.'}")
    return lines


def _hint(kind: str) -> str:
    lowered = kind.casefold()
    if any(word in lowered for word in ("dns", "connection", "network", "timed out")):
        return f"no network? Try --offline or {OFFLINE_EXAMPLE}."
    if "tls" in lowered:
        return "a proxy or clock problem? Check the system time and certificates."
    if lowered.startswith("http 4") or lowered.startswith("http 5"):
        return "the sites refused us; try again later."
    return f"see `{FEEDS_CHECK}`."
