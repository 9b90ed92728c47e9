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

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from counterpoint.config.layout import Table, append_feed, find_tables, split_lines
from counterpoint.config.load import (
    DEFAULT_AFFILIATIONS,
    OUTLET_TEXT_FIELDS,
    Config,
    parse_config,
)
from counterpoint.errors import ConfigError, EditError, UnsafeEditError
from counterpoint.models import Outlet

_KEY_WIDTH = len("affiliation")


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


def _outlet_tables(lines: Sequence[str], config: Config) -> list[Table]:
    tables = [t for t in find_tables(lines) if t.name == "outlets"]
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
    config = parse_config(text, path, allow_empty=True)
    lines = split_lines(text)
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
            at = tables[-1].content_end if tables else len(lines)
            eol = "\r\n" if text.count("\r\n") * 2 > text.count("\n") else "\n"
            gap = [eol] if at and lines[at - 1].strip() else []
            lines[at:at] = [*gap, *(line.replace("\n", eol) for line in split_lines(block))]
            changes.append(f"added outlet {name!r} ({addition.affiliation}) with "
                           f"{len(new_feeds)} feed{'s' if len(new_feeds) != 1 else ''}")
        else:
            _same_label(existing, addition)
            table = tables[config.outlets.index(existing)]
            for url in new_feeds:
                append_feed(lines, table, url)
                table = _outlet_tables(lines, config)[config.outlets.index(existing)]
            changes.append(f"outlet {name!r} exists: added feed{'s' if len(new_feeds) != 1 else ''}"
                           f" {', '.join(new_feeds)} to it")
        config = _checked(lines, path, config, added=name, new_feeds=new_feeds,
                          addition=addition if existing is None else None)
    return Edit(text, "".join(lines), tuple(changes))


def from_scratch(config: Config) -> bool:
    """A feeds.toml with no outlets and no [affiliations] yet: an edit names its classes."""
    return not config.outlets and "affiliations" not in config.raw


def class_label(key: str) -> str:
    return DEFAULT_AFFILIATIONS.get(key, key.replace("_", " ").replace("-", " ").capitalize())


def add_classes(text: str, path: Path | None, classes: Mapping[str, str]) -> Edit:
    """Write an [affiliations] table naming `classes` into a feeds.toml that has none (it then
    replaces the default classes: a new subject names its own)."""
    config = parse_config(text, path, allow_empty=True)
    if not classes:
        return Edit(text, text, ())
    if "affiliations" in config.raw:
        raise EditError(f"{config.display_path} has an [affiliations] table already; add the "
                        "classes there by hand")
    lines = split_lines(text)
    if lines and lines[-1].strip():
        lines.append("\n")
    lines += split_lines("[affiliations]\n" + "".join(
        f"{key} = {_literal(label)}\n" for key, label in classes.items()))
    try:
        new = parse_config("".join(lines), path, allow_empty=True)
    except ConfigError as exc:
        raise EditError(f"the edit would make feeds.toml invalid, so nothing was written: "
                        f"{exc.message}") from None
    if new.affiliations != dict(classes):
        raise EditError(f"invalid class name in {', '.join(classes)}: use lower-case letters, "
                        "digits, '-' or '_'")
    noun = "class" if len(classes) == 1 else "classes"
    return Edit(text, "".join(lines), (f"added {noun} {', '.join(classes)} to [affiliations]",))


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
    lines = split_lines(text)
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


# -- diff ---------------------------------------------------------------------------------------
def unified_diff(edit: Edit, path: Path) -> str:
    return "".join(difflib.unified_diff(edit.old.splitlines(keepends=True),
                                        edit.new.splitlines(keepends=True),
                                        fromfile=f"{path}", tofile=f"{path} (edited)"))
