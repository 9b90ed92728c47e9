"""Edit the outlets of a feeds.toml as text, keeping every comment, blank line and key order.

`feeds add`, `feeds remove` and `feeds import` change only the lines of the outlets they touch:
a new outlet is inserted as one `[[outlets]]` block after the last outlet's last key (before any
trailing comments, which usually introduce the next section); a removed outlet loses its header
and keys but never the comments around it; a feed added to an existing outlet is appended to its
`feeds` array by tomlkit, which keeps that array's layout. Every edit is checked twice before it
is returned: the new text must pass `config.parse_config`, and it must mean exactly the old
config plus (or minus) the requested change, so an edit that would silently alter anything else
is refused.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from counterpoint.config.load import OUTLET_TEXT_FIELDS, Config, parse_config
from counterpoint.errors import ConfigError, EditError, UnsafeEditError
from counterpoint.models import Outlet

_KEY_WIDTH = len("affiliation")
_HEADER = re.compile(r"^\s*\[\[\s*(?P<aot>[^\]]+?)\s*\]\]|^\s*\[\s*(?P<table>[^\]]+?)\s*\]")
_FEEDS_KEY = re.compile(r"""^\s*(?:feeds|"feeds"|'feeds')\s*=""")


@dataclass(frozen=True, slots=True)
class NewOutlet:
    """An outlet to add, as the user gave it (text fields None when not given)."""

    name: str
    affiliation: str
    feeds: tuple[str, ...]
    fields: Mapping[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Edit:
    """The outcome of an edit: the new text and one line per change, for the user."""

    old: str
    new: str
    changes: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return self.old != self.new


# -- reading the layout ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Table:
    name: str
    is_array: bool
    start: int  # header line
    end: int  # first line after the table (next header or end of file)
    content_end: int  # first line after the last key (trailing comments/blank lines excluded)


def _scan(lines: Sequence[str]) -> tuple[list[bool], list[bool]]:
    """For each line: does it start outside any value, and does it carry a key or header?

    A small TOML lexer: it follows strings (basic, literal, multi-line) and open brackets, so a
    `[` inside a multi-line array or string is never taken for a table header.
    """
    starts_top: list[bool] = []
    content: list[bool] = []
    depth = 0
    in_multi: str | None = None
    for line in lines:
        top = depth == 0 and in_multi is None
        starts_top.append(top)
        stripped = line.strip()
        content.append(not top or (bool(stripped) and not stripped.startswith("#")))
        i, n = 0, len(line)
        while i < n:
            if in_multi is not None:
                if in_multi == '"""' and line[i] == "\\":
                    i += 2
                    continue
                if line.startswith(in_multi, i):
                    i += 3
                    while i < n and line[i] == in_multi[0]:  # up to two quotes may close it
                        i += 1
                    in_multi = None
                    continue
                i += 1
                continue
            char = line[i]
            if char == "#":
                break
            if line.startswith('"""', i) or line.startswith("'''", i):
                in_multi = line[i:i + 3]
                i += 3
                continue
            if char in "\"'":
                i += 1
                while i < n and line[i] != char:
                    i += 2 if char == '"' and line[i] == "\\" else 1
                i += 1
                continue
            if char in "[{":
                depth += 1
            elif char in "]}":
                depth = max(0, depth - 1)
            i += 1
    return starts_top, content


def _tables(lines: Sequence[str]) -> list[_Table]:
    starts_top, content = _scan(lines)
    headers: list[tuple[int, str, bool]] = []
    for number, line in enumerate(lines):
        if not starts_top[number]:
            continue
        match = _HEADER.match(line)
        if match:
            name = match.group("aot") or match.group("table") or ""
            name = ".".join(part.strip().strip("\"'") for part in name.split("."))
            headers.append((number, name, match.group("aot") is not None))
    tables = []
    for position, (start, name, is_array) in enumerate(headers):
        end = headers[position + 1][0] if position + 1 < len(headers) else len(lines)
        last = start
        for number in range(start + 1, end):
            if content[number]:
                last = number
        tables.append(_Table(name, is_array, start, end, last + 1))
    return tables


def _outlet_tables(lines: Sequence[str], config: Config) -> list[_Table]:
    tables = [t for t in _tables(lines) if t.name == "outlets"]
    if len(tables) != len(config.outlets) or not all(t.is_array for t in tables):
        raise UnsafeEditError(
            f"{config.display_path}: outlets are not written as [[outlets]] tables, so they "
            "cannot be edited safely; edit the file by hand")
    return tables


# -- building text --------------------------------------------------------------------------------
def _literal(value: Any) -> str:
    import tomlkit

    return str(tomlkit.item(value).as_string())


def outlet_block(outlet: NewOutlet) -> str:
    """One `[[outlets]]` table in the layout of the shipped feeds.toml (aligned `=`)."""
    rows: list[tuple[str, Any]] = [("name", outlet.name), ("affiliation", outlet.affiliation),
                                   ("feeds", list(outlet.feeds))]
    rows += [(key, outlet.fields[key]) for key in OUTLET_TEXT_FIELDS if outlet.fields.get(key)]
    body = "".join(f"{key:<{_KEY_WIDTH}} = {_literal(value)}\n" for key, value in rows)
    return "[[outlets]]\n" + body


def _lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"
    return lines


def _append_feed(lines: list[str], table: _Table, url: str) -> None:
    starts_top, _ = _scan(lines)
    for number in range(table.start + 1, table.content_end):
        if starts_top[number] and _FEEDS_KEY.match(lines[number]):
            end = number + 1
            while end < table.content_end and not starts_top[end]:
                end += 1
            import tomlkit

            snippet = tomlkit.parse("".join(lines[number:end]))
            snippet["feeds"].append(url)
            lines[number:end] = _lines(tomlkit.dumps(snippet))
            return
    raise UnsafeEditError("outlet has no feeds key to extend; edit the file by hand")


# -- edits ----------------------------------------------------------------------------------------
def _normalise_name(name: str) -> str:
    return " ".join(name.split())


def check_class(config: Config, affiliation: str) -> None:
    """Refuse (EditError) a class that is not a key of the config's [affiliations]."""
    if affiliation not in config.affiliations:
        known = ", ".join(f"{key} ({label})" for key, label in config.affiliations.items())
        raise EditError(f"unknown affiliation {affiliation!r}; known classes: {known}. "
                        "Add a class to [affiliations] in feeds.toml first if you need a new one")


def _feed_owner(config: Config, url: str) -> str | None:
    resolved = _resolve_url(config, url)
    return next((o.name for o in config.outlets if resolved in o.feeds), None)


def _resolve_url(config: Config, url: str) -> str:
    from counterpoint.config.load import resolve_feed_url  # the same rules as loading

    checked = resolve_feed_url(url, config.path)
    if checked is None:
        raise EditError(f"unsupported feed URL {url!r}: use http://, https://, file:// or a "
                        "local path")
    return checked


def add_outlets(text: str, path: Path | None, additions: Sequence[NewOutlet]) -> Edit:
    """Add outlets (or feeds to outlets of the same name) to the feeds.toml `text`.

    Refuses (EditError, nothing changed) an unknown class, a feed already configured, or an
    outlet whose name exists with a different affiliation or label; a known name with a new feed
    URL gets that feed added.
    """
    config = parse_config(text, path)
    lines = _lines(text)
    changes: list[str] = []
    for addition in additions:
        name = _normalise_name(addition.name)
        if not name:
            raise EditError("--name must not be empty")
        check_class(config, addition.affiliation)
        if not addition.feeds:
            raise EditError(f"{name}: no feed URL to add")
        existing = config.outlet(name)
        new_feeds = list(dict.fromkeys(addition.feeds))
        for url in new_feeds:
            owner = _feed_owner(config, url)
            if owner is not None:
                raise EditError(f"duplicate feed: {url} is already a feed of {owner!r}")
        tables = _outlet_tables(lines, config)
        if existing is None:
            block = outlet_block(NewOutlet(name, addition.affiliation, tuple(new_feeds),
                                           addition.fields))
            at = tables[-1].content_end
            eol = "\r\n" if text.count("\r\n") * 2 > text.count("\n") else "\n"
            lines[at:at] = [eol, *(line.replace("\n", eol) for line in _lines(block))]
            changes.append(f"added outlet {name!r} ({addition.affiliation}) with "
                           f"{len(new_feeds)} feed{'s' if len(new_feeds) != 1 else ''}")
        else:
            _same_label(existing, addition)
            table = tables[config.outlets.index(existing)]
            for url in new_feeds:
                _append_feed(lines, table, url)
                table = _outlet_tables(lines, config)[config.outlets.index(existing)]
            changes.append(f"outlet {name!r} exists: added feed{'s' if len(new_feeds) != 1 else ''}"
                           f" {', '.join(new_feeds)} to it")
        config = _checked(lines, path, config, added=name, new_feeds=new_feeds,
                          addition=addition if existing is None else None)
    return Edit(text, "".join(lines), tuple(changes))


def _same_label(existing: Outlet, addition: NewOutlet) -> None:
    if existing.affiliation != addition.affiliation:
        raise EditError(f"duplicate name: outlet {existing.name!r} exists with affiliation "
                        f"{existing.affiliation!r}, not {addition.affiliation!r}; choose another "
                        "--name, or change its affiliation in feeds.toml by hand")
    differing = [key for key in OUTLET_TEXT_FIELDS
                 if addition.fields.get(key) and addition.fields[key] != getattr(existing, key)]
    if differing:
        raise EditError(f"duplicate name: outlet {existing.name!r} exists with a different "
                        f"{', '.join(differing)}; choose another --name, or edit its label in "
                        "feeds.toml by hand")


def remove_outlet(text: str, path: Path | None, name: str) -> Edit:
    """Remove the outlet called `name`: its header and keys, not the comments around it."""
    config = parse_config(text, path)
    name = _normalise_name(name)
    outlet = config.outlet(name)
    if outlet is None:
        close = difflib.get_close_matches(name, [o.name for o in config.outlets], n=3)
        hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
        raise EditError(f"no outlet named {name!r} in {config.display_path}{hint}; "
                        "see `counterpoint feeds list`")
    lines = _lines(text)
    table = _outlet_tables(lines, config)[config.outlets.index(outlet)]
    end = table.content_end
    if end < len(lines) and not lines[end].strip():
        end += 1
    del lines[table.start:end]
    _checked(lines, path, config, removed=name)
    return Edit(text, "".join(lines), (f"removed outlet {name!r} ({outlet.affiliation}, "
                                       f"{len(outlet.feeds)} feed"
                                       f"{'s' if len(outlet.feeds) != 1 else ''})",))


def _checked(lines: Sequence[str], path: Path | None, old: Config, *, added: str | None = None,
             new_feeds: Sequence[str] = (), addition: NewOutlet | None = None,
             removed: str | None = None) -> Config:
    """Parse the edited text and make sure it says what was asked and nothing else."""
    try:
        new = parse_config("".join(lines), path)
    except ConfigError as exc:
        raise EditError(f"the edit would make feeds.toml invalid, so nothing was written: "
                        f"{exc.message}") from None
    others_old = {k: v for k, v in old.raw.items() if k != "outlets"}
    others_new = {k: v for k, v in new.raw.items() if k != "outlets"}
    kept_old = [o for o in old.outlets if o.name not in (added, removed)]
    kept_new = [o for o in new.outlets if o.name != added]
    ok = others_old == others_new and kept_old == kept_new
    if added is not None:
        outlet = new.outlet(added)
        before = old.outlet(added)
        ok = ok and outlet is not None and list(outlet.feeds) == [
            *(before.feeds if before else ()), *(_resolve_url(new, u) for u in new_feeds)]
        if addition is not None and outlet is not None:
            ok = ok and outlet.affiliation == addition.affiliation and all(
                getattr(outlet, key) == (addition.fields.get(key) or None)
                for key in OUTLET_TEXT_FIELDS)
    if removed is not None:
        ok = ok and new.outlet(removed) is None and len(new.outlets) == len(old.outlets) - 1
    if not ok:
        raise UnsafeEditError("could not edit feeds.toml safely (its layout is unusual); "
                                "nothing was written: edit the file by hand")
    return new


# -- diff and writing -----------------------------------------------------------------------------
def unified_diff(edit: Edit, path: Path) -> str:
    return "".join(difflib.unified_diff(edit.old.splitlines(keepends=True),
                                        edit.new.splitlines(keepends=True),
                                        fromfile=f"{path}", tofile=f"{path} (edited)"))


def write_config(path: Path, text: str) -> Path:
    """Atomically replace the config (following a symlink to its target), keeping its mode."""
    from counterpoint.store.files import write_atomically

    target = path.resolve()
    try:
        mode: int | None = target.stat().st_mode & 0o7777
    except OSError:
        mode = None
    write_atomically(target, text)
    if mode is not None:
        with contextlib.suppress(OSError):
            os.chmod(target, mode)
    return target


def create_new(path: Path, text: str) -> None:
    """Write `text` to `path` atomically, failing with FileExistsError if `path` exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.link(temp, path)  # atomic, and never replaces an existing file
    finally:
        Path(temp).unlink(missing_ok=True)


# -- what the user changed from the shipped labels ------------------------------------------------
@dataclass(frozen=True, slots=True)
class LabelChanges:
    changed: dict[str, dict[str, tuple[Any, Any]]]  # outlet -> field -> (shipped, yours)
    added: tuple[Outlet, ...]
    removed: tuple[Outlet, ...]

    def __bool__(self) -> bool:
        return bool(self.changed or self.added or self.removed)


def label_changes(shipped: Config, yours: Config) -> LabelChanges:
    """Outlet by outlet (matched by name): fields changed, outlets added, shipped ones removed."""
    changed: dict[str, dict[str, tuple[Any, Any]]] = {}
    for outlet in yours.outlets:
        original = shipped.outlet(outlet.name)
        if original is None:
            continue
        fields = {key: (_plain(getattr(original, key)), _plain(getattr(outlet, key)))
                  for key in ("affiliation", "feeds", *OUTLET_TEXT_FIELDS)
                  if getattr(original, key) != getattr(outlet, key)}
        if fields:
            changed[outlet.name] = fields
    added = tuple(o for o in yours.outlets if shipped.outlet(o.name) is None)
    removed = tuple(o for o in shipped.outlets if yours.outlet(o.name) is None)
    return LabelChanges(changed, added, removed)


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
