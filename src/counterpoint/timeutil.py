"""Durations and dates as users write them: `36h`, `2d`, `90m`, `1w`, or ISO dates."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    """`36h` -> 36 hours. Raises ValueError with a readable message."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"not a duration: {text!r} (use e.g. 90m, 36h, 2d, 1w)")
    value, unit = float(match.group(1)), match.group(2).lower()
    return timedelta(seconds=value * _UNIT_SECONDS[unit])


def parse_when(text: str, now: datetime) -> datetime:
    """A duration back from `now`, or an ISO date / date-time (naive means UTC)."""
    try:
        return now - parse_duration(text)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"not a duration or ISO date: {text!r} (use e.g. 36h, 2d, 2026-11-21 or "
            "2026-11-21T06:00)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a `Z`, seconds precision."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def age(moment: datetime, now: datetime) -> str:
    """A short human age: `5m`, `3h`, `2d`."""
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400 * 2:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"
