"""The layout of a TOML file as lines: which line opens a table, where a table's keys end.

The comment-keeping edits (config.edit) change whole lines, so they need to know, without a
full TOML parser, which lines start outside any value and carry a key or header.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from counterpoint.errors import UnsafeEditError

_HEADER = re.compile(r"^\s*\[\[\s*(?P<aot>[^\]]+?)\s*\]\]|^\s*\[\s*(?P<table>[^\]]+?)\s*\]")
_FEEDS_KEY = re.compile(r"""^\s*(?:feeds|"feeds"|'feeds')\s*=""")


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    is_array: bool
    start: int  # header line
    end: int  # first line after the table (next header or end of file)
    content_end: int  # first line after the last key (trailing comments/blank lines excluded)


def scan(lines: Sequence[str]) -> tuple[list[bool], list[bool]]:
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


def find_tables(lines: Sequence[str]) -> list[Table]:
    starts_top, content = scan(lines)
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
        tables.append(Table(name, is_array, start, end, last + 1))
    return tables


def split_lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"
    return lines


def append_feed(lines: list[str], table: Table, url: str) -> None:
    starts_top, _ = scan(lines)
    for number in range(table.start + 1, table.content_end):
        if starts_top[number] and _FEEDS_KEY.match(lines[number]):
            end = number + 1
            while end < table.content_end and not starts_top[end]:
                end += 1
            import tomlkit

            snippet = tomlkit.parse("".join(lines[number:end]))
            snippet["feeds"].append(url)
            lines[number:end] = split_lines(tomlkit.dumps(snippet))
            return
    raise UnsafeEditError("outlet has no feeds key to extend; edit the file by hand")
