"""feedparser.datetimes._parse_date, with the two common forms replayed here."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
           "sep": 9, "oct": 10, "nov": 11, "dec": 12}
_RFC822_ZONES = {"ut": 0, "gmt": 0, "z": 0, "adt": -3, "ast": -4, "at": -4, "edt": -4, "est": -5,
                 "et": -5, "cdt": -5, "cst": -6, "ct": -6, "mdt": -6, "mst": -7, "mt": -7,
                 "pdt": -7, "pst": -8, "pt": -8, "a": -1, "n": 1, "m": -12, "y": 12,
                 "met": 1, "mest": 2}
RFC822 = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d\d):(\d\d):(\d\d) "
    r"(GMT|UT|UTC|Z|EST|EDT|CST|CDT|MST|MDT|PST|PDT|[+-]\d{4})")
W3DTF = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d(?:\.\d+)?)(Z|[+-]\d\d:\d\d)")


def parse_date(value: str | None) -> Any:
    """feedparser.datetimes._parse_date: the two common forms here, the rest by feedparser.

    A document dated RFC 822 style (`Sun, 22 Nov 2026 10:00:00 GMT`) reaches feedparser's RFC
    822 handler after its W3DTF handler declines it; an RFC 3339 date is read by the W3DTF
    handler. Both are replayed for exactly these shapes; any other string, or one either
    handler would reject (31 February), goes to feedparser's full chain of handlers."""
    if not value:
        return None
    stamp: Any = None
    match = RFC822.fullmatch(value)
    if match:
        day, month, year, hour, minute, second, zone = match.groups()
        zone = zone.lower()
        if zone[0] in "+-":
            hours, minutes = int(zone[1:3]), int(zone[3:])
            if zone[0] == "-":
                hours, minutes = -hours, -minutes
        else:
            hours, minutes = _RFC822_ZONES.get(zone, 0), 0
        stamp = _utc_tuple(int(year), _MONTHS[month.lower()], int(day), int(hour), int(minute),
                           int(second), hours, minutes)
    else:
        match = W3DTF.fullmatch(value)
        if match:
            year, month, day, hour, minute, second, zone = match.groups()
            if zone == "Z":
                hours = minutes = 0
            else:
                hours, minutes = int(zone[1:3]), int(zone[4:])
                if zone[0] == "-":
                    hours, minutes = -hours, -minutes
            stamp = _utc_tuple(int(year), int(month), int(day), int(hour), int(minute),
                               int(float(second)), hours, minutes)
    if stamp is not None:
        return stamp
    from feedparser.datetimes import _parse_date

    return _parse_date(value)


def _utc_tuple(year: int, month: int, day: int, hour: int, minute: int, second: int,
               zone_hours: int, zone_minutes: int) -> Any:
    try:
        stamp = datetime(year, month, day, hour, minute, second)
        return (stamp - timedelta(0, 0, 0, 0, zone_minutes, zone_hours)).utctimetuple()
    except (OverflowError, ValueError):
        return None
