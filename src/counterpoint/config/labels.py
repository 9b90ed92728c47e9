"""What a user's feeds.toml changes from the shipped labels (`feeds list --changed`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from counterpoint.config.load import OUTLET_TEXT_FIELDS, Config
from counterpoint.models import Outlet


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
