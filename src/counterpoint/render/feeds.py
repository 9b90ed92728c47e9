"""`counterpoint feeds …` in a terminal: outlet list, label changes, check and balance reports.

Built from rich `Text` only (outlet names, labels and errors are user or feed text and are shown
literally). Classes are always written out as `[KEY]` labels; colour only repeats them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

from counterpoint.models import FeedStatus
from counterpoint.parse.clean import isolate_bidi
from counterpoint.render.terminal import affiliation_styles, label
from counterpoint.timeutil import age

if TYPE_CHECKING:
    from counterpoint.config.edit import LabelChanges
    from counterpoint.config.load import Config
    from counterpoint.store.db import FeedState
    from counterpoint.update.check import ClassBalance, FeedCheck

_LABEL_FIELDS = ("owner", "funding", "source", "as_of", "notes")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def feed_status(state: FeedState | None, now: datetime) -> tuple[str, str]:
    """(short status, style) of a feed as last fetched."""
    if state is None or state.checked_at is None:
        return "never fetched", "dim"
    when = age(state.checked_at, now)
    if state.status in (FeedStatus.OK, FeedStatus.NOT_MODIFIED):
        return f"ok {when} ago", "green"
    return f"{state.status or 'error'} {when} ago: {state.error or 'unknown error'}", "red"


def render_outlet_list(out: Console, config: Config, order: Sequence[str],
                       states: Mapping[str, FeedState] | None, now: datetime) -> None:
    styles = affiliation_styles(order)
    out.print(Text(f"Outlets of {config.display_path}", style="bold"))
    if states is None:
        out.print(Text("No database yet: every feed is never fetched (run `counterpoint fetch`)",
                       style="dim"))
    out.print()
    for key in order:
        outlets = [o for o in config.outlets if o.affiliation == key]
        head = Text()
        head.append(f"{label(key)} {config.affiliations.get(key, key)}",
                    style=styles.get(key, "bold"))
        head.append(f" — {_plural(len(outlets), 'outlet')}")
        out.print(head)
        for outlet in outlets:
            facts = ", ".join(x for x in (outlet.country, outlet.language) if x)
            line = Text("  ")
            line.append(isolate_bidi(outlet.name), style="bold")
            line.append((f" ({facts})" if facts else "")
                        + f" · {_plural(len(outlet.feeds), 'feed')}")
            out.print(line)
            for field in _LABEL_FIELDS:
                value = getattr(outlet, field)
                if value:
                    out.print(Text(f"      {field}: {isolate_bidi(value)}", style="dim"))
            for url in outlet.feeds:
                status, style = feed_status(states.get(url) if states else None, now)
                feed = Text(f"      feed: {url}  ")
                feed.append(status, style=style)
                out.print(feed)
        out.print()


def render_changes(out: Console, changes: LabelChanges, config: Config) -> None:
    if config.path is None:
        out.print(Text("Using the built-in feeds.toml: nothing changed. Run `counterpoint init` "
                       "to get a copy to edit."))
        return
    if not changes:
        out.print(Text(f"{config.display_path}: the same outlets and labels as shipped."))
        return
    out.print(Text(f"{config.display_path} compared with the shipped labels", style="bold"))
    for name, fields in changes.changed.items():
        out.print(Text(f"changed: {isolate_bidi(name)}"))
        for field, (old, new) in fields.items():
            out.print(Text(f"    {field}: {_show(old)} → {_show(new)}"))
    for outlet in changes.added:
        out.print(Text(f"added:   {isolate_bidi(outlet.name)} {label(outlet.affiliation)}",
                       style="green"))
    for outlet in changes.removed:
        out.print(Text(f"removed: {isolate_bidi(outlet.name)} {label(outlet.affiliation)}",
                       style="red"))


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(value)
    return f'"{isolate_bidi(str(value))}"'


def render_checks(out: Console, checks: Sequence[FeedCheck], now: datetime,
                  stale_after: timedelta) -> None:
    for check in checks:
        result = check.result
        code = str(result.http_status) if result.http_status else "-"
        elapsed = f"{result.elapsed:.2f}s" if result.elapsed is not None else "-"
        line = Text()
        line.append(f"{'ok' if result.healthy else 'FAILED':<7}",
                    style="green" if result.healthy else "bold red")
        line.append(f"{code:>4} {elapsed:>7}  {label(result.affiliation)} ")
        line.append(isolate_bidi(result.outlet), style="bold")
        out.print(line)
        detail = Text(f"        {result.url}", style="dim")
        out.print(detail)
        if result.healthy:
            newest = check.newest_age(now)
            facts = _plural(result.items_seen, "item")
            if newest is not None:
                facts += f", newest {age(result.newest_item, now)} old"  # type: ignore[arg-type]
            elif result.items_seen:
                facts += ", none dated"
            info = Text(f"        {facts}")
            if check.stale:
                info.append(f"  STALE: no new item in {_span(stale_after)}", style="yellow")
            out.print(info)
        else:
            out.print(Text(f"        error: {result.error}", style="red"))
        if result.permanent_redirect:
            out.print(Text(f"        moved permanently to {result.permanent_redirect}",
                           style="yellow"))
        if check.fix:
            out.print(Text(f"        fix: {check.fix}", style="yellow"))
    failed = sum(not c.result.healthy for c in checks)
    stale = sum(c.stale for c in checks)
    moved = sum(c.result.permanent_redirect is not None for c in checks)
    out.print()
    out.print(Text(f"{_plural(len(checks), 'feed')}: {len(checks) - failed} ok, {failed} failed, "
                   f"{stale} stale, {moved} moved permanently",
                   style="bold red" if failed else "bold"))


def _span(span: timedelta) -> str:
    days = span.total_seconds() / 86400
    return f"{days:g} days" if days >= 1 else f"{span.total_seconds() / 3600:g} hours"


def render_balance(out: Console, rows: Sequence[ClassBalance], fetched: bool) -> None:
    styles = affiliation_styles([row.affiliation for row in rows])
    out.print(Text("Configured mix against [balance] (feed health as last fetched)",
                   style="bold"))
    if not fetched:
        out.print(Text("Never fetched: no feed status stored yet (run `counterpoint fetch`).",
                       style="yellow"))
    out.print()
    for row in rows:
        line = Text()
        line.append(f"{label(row.affiliation):<15}", style=styles.get(row.affiliation, "bold"))
        line.append(f" weight {row.weight:g} ({row.share:.0%})  "
                    f"{_plural(row.outlets, 'outlet')}, {row.healthy_outlets} healthy · "
                    f"{row.healthy_feeds}/{_plural(row.feeds, 'feed')} healthy  ")
        line.append(row.state.upper() if row.state != "ok" else "ok",
                    style={"ok": "green", "thin": "yellow"}.get(row.state, "red"))
        out.print(line)
        if row.reason:
            out.print(Text(f"{'':<16}{row.reason}", style="dim"))
    out.print()
    for state in ("empty", "thin", "never fetched"):
        keys = [row.affiliation for row in rows if row.state == state]
        if keys:
            out.print(Text(f"{state}: {', '.join(keys)}",
                           style="red" if state == "empty" else "yellow"))
