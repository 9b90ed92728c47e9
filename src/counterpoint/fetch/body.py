"""Reading a response body: Content-Encoding undone by us, under a cap on the bytes produced."""

from __future__ import annotations

import zlib

from counterpoint.parse.clean import one_line


class BodyTooLarge(Exception):
    pass


class BadEncoding(Exception):
    """The body does not decode as its Content-Encoding says."""


class BodyDecoder:
    """Content-Encoding -> bytes, never producing more than `max_bytes` in total.

    zlib's `max_length` stops inflating as soon as the cap is passed, so a few kilobytes
    claiming to be gigabytes of zeros cost at most `max_bytes` of memory.
    """

    def __init__(self, encoding: str | None, max_bytes: int) -> None:
        codings = [c.strip().lower() for c in (encoding or "").split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise BadEncoding(f"unsupported Content-Encoding {one_line(encoding or '', 40)!r}")
        self.coding = codings[0] if codings else None
        self.max_bytes = max_bytes
        self.produced = 0
        self._inflater = self._new_inflater()
        self._first = True

    def _new_inflater(self) -> zlib._Decompress | None:
        if self.coding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        if self.coding == "deflate":
            return zlib.decompressobj(zlib.MAX_WBITS)
        return None

    def feed(self, raw: bytes) -> bytes:
        if self._inflater is None:
            return self._count(raw)
        try:
            if self._first and self.coding == "deflate":
                self._first = False
                try:
                    return self._inflate(raw)
                except zlib.error:  # "deflate" sent without its zlib header, as some servers do
                    self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            return self._inflate(raw)
        except zlib.error as exc:
            raise BadEncoding(f"corrupt {self.coding} data ({exc})") from None

    def _inflate(self, raw: bytes) -> bytes:
        out = bytearray()
        while raw and self._inflater is not None:
            inflater = self._inflater
            room = self.max_bytes - self.produced - len(out)
            out += inflater.decompress(raw, room + 1)
            if len(out) + self.produced > self.max_bytes:
                raise BodyTooLarge
            raw = b""
            if inflater.eof and inflater.unused_data:  # another gzip member follows
                raw = inflater.unused_data
                self._inflater = self._new_inflater()
        return self._count(bytes(out))

    def _count(self, data: bytes) -> bytes:
        self.produced += len(data)
        if self.produced > self.max_bytes:
            raise BodyTooLarge
        return data


def size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.3g} MB"
    return f"{n / 1024:.3g} KB"
