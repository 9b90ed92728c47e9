"""The fast JSON writer gives exactly the standard library's text for every document."""

from __future__ import annotations

import enum
import io
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from counterpoint.render import jsonout
from counterpoint.render.jsontext import dumps_indented, write_indented


class Status(enum.StrEnum):
    SEEN = "seen"


scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
           | st.text() | st.just(Status.SEEN))
keys = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
documents = st.recursive(
    scalars,
    lambda inner: (st.lists(inner, max_size=5) | st.lists(inner, max_size=3).map(tuple)
                   | st.dictionaries(keys, inner, max_size=5)
                   | st.dictionaries(st.text(), st.text(), max_size=5)
                   # a story's coverage: many members, values (and members) repeating
                   | st.dictionaries(st.text(max_size=4), st.sampled_from(
                       ["covered", "silent", "\u00e9\u2028<", ""]) | st.text(max_size=2),
                                     min_size=32, max_size=36)),
    max_leaves=40,
)


@given(documents)
def test_text_is_the_standard_librarys(document: Any) -> None:
    assert dumps_indented(document) == json.dumps(document, ensure_ascii=True, indent=2)


def test_hostile_text_stays_escaped() -> None:
    document = {"title": "\x1b[31mred\u202e</script>", "items": ["\n", "\u0000"], "empty": {}}
    text = dumps_indented(document)
    assert "\x1b" not in text and "\u202e" not in text and "\n\u0000" not in text
    assert json.loads(text) == document


@given(documents)
def test_written_in_pieces_the_text_is_the_same(document: Any) -> None:
    pieces: list[str] = []
    write_indented(document, pieces.append)
    assert "".join(pieces) == dumps_indented(document)


def test_a_large_document_is_written_in_several_pieces_escaped_like_dumps() -> None:
    document = {"stories": [{"id": f"s{n}", "title": "<b>A & B</b>", "coverage": {"X": "silent"}}
                            for n in range(3000)]}
    pieces: list[str] = []

    class Stream(io.StringIO):
        def write(self, text: str) -> int:
            pieces.append(text)
            return len(text)

    jsonout.write(document, Stream())
    assert len(pieces) > 3
    assert "".join(pieces) == jsonout.dumps(document) + "\n"
    assert "<" not in "".join(pieces)


@given(st.lists(documents, max_size=6), documents)
def test_a_generator_is_written_as_the_list_it_yields(members: list[Any], other: Any) -> None:
    expected = json.dumps({"stories": members, "other": other}, ensure_ascii=True, indent=2)
    assert dumps_indented({"stories": (m for m in members), "other": other}) == expected
    pieces: list[str] = []
    write_indented({"stories": (m for m in members), "other": other}, pieces.append)
    assert "".join(pieces) == expected


@settings(deadline=None)
@given(st.dictionaries(st.text(max_size=3), documents, min_size=1, max_size=4),
       st.dictionaries(st.text(max_size=3), documents, min_size=1, max_size=4),
       st.text(max_size=3), documents, st.integers(0, 3))
def test_an_object_written_ahead_around_a_member_is_written_as_the_whole(
        head: dict[str, Any], tail: dict[str, Any], key: str, value: Any, depth: int) -> None:
    """A story written ahead without its topic, the topic put in when the document is written:
    the same text as the story written whole, at whatever depth."""
    from counterpoint.render.jsontext import with_member, written

    tail = {k: v for k, v in tail.items() if k not in head and k != key}
    head.pop(key, None)
    if not head or not tail:
        return
    whole = {**head, key: value, **tail}
    document: Any = whole
    for _ in range(depth):
        document = [document]
    ahead: Any = with_member(written(head, depth), key, value, written(tail, depth))
    for _ in range(depth):
        ahead = [ahead]
    expected = json.dumps(document, ensure_ascii=True, indent=2)
    assert dumps_indented(ahead) == expected
    pieces: list[str] = []
    write_indented(ahead, pieces.append)
    assert "".join(pieces) == expected


class State(enum.StrEnum):
    COVERED = "covered"
    SILENT = "silent"
    ODD = "\u00e9\u2028<\""


@settings(deadline=None)
@given(st.lists(st.dictionaries(st.text(max_size=4), st.sampled_from(list(State)), max_size=40),
                min_size=1, max_size=4), st.integers(0, 4))
def test_maps_of_enum_members_written_ahead_are_the_maps_of_their_values(
        maps: list[dict[str, State]], depth: int) -> None:
    """A story's coverage (outlet -> state) written ahead from lines kept per outlet and state:
    the text `written` gives the map of the states' values, map after map (lines reused) and
    at any depth; placed in a document at that depth, the document's text is unchanged."""
    from counterpoint.render.jsontext import EnumMaps, written

    lines = EnumMaps()
    for mapping in maps:
        plain = {key: str(value) for key, value in mapping.items()}
        ahead = lines.written(mapping, depth)
        if not mapping:
            assert ahead is None
            continue
        assert ahead is not None and ahead == written(plain, depth)
        document: Any = {"coverage": ahead, "n": 1}
        whole: Any = {"coverage": plain, "n": 1}
        for _ in range(depth - 1):
            document, whole = [document], [whole]
        if depth:
            assert dumps_indented(document) == json.dumps(whole, ensure_ascii=True, indent=2)


def test_a_map_holding_anything_but_enum_members_is_left_to_the_usual_writer() -> None:
    from counterpoint.render.jsontext import EnumMaps

    lines = EnumMaps()
    assert lines.written({"a": State.SILENT}, 2) is not None
    assert lines.written({"a": "silent"}, 2) is None  # a plain string: no line by identity
    assert lines.written({"a": State.SILENT, "b": 1}, 2) is None
    assert lines.written({1: State.SILENT}, 2) is None  # type: ignore[dict-item]
