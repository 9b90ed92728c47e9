"""The mix: outlets configured and fetched, items shown, and warnings against [balance]."""

from __future__ import annotations

from analysishelp import (
    OUTLETS,
    down,
    healthy_results,
    item,
    ok,
)
from counterpoint.analysis.mix import Mix, account_mix
from counterpoint.config.load import DEFAULT_AFFILIATIONS
from counterpoint.models import Item
from counterpoint.render.jsonout import mix_json
from counterpoint.render.words import mix_lines, mix_warning


def worded(mix: Mix) -> tuple[str, ...]:
    return tuple(mix_warning(w, DEFAULT_AFFILIATIONS) for w in mix.warnings)


# -- mix ---------------------------------------------------------------------------------------
def shown_items(counts: dict[str, int]) -> list[Item]:
    return [item(f"{key}-outlet", key, f"{key} {n}") for key, count in counts.items()
            for n in range(count)]


def test_mix_counts_outlets_configured_and_fetched_and_items_shown() -> None:
    results = [r for r in healthy_results() if r.outlet != "AP"] + [down("AP", "wire")]
    mix = account_mix(OUTLETS, DEFAULT_AFFILIATIONS, dict.fromkeys(DEFAULT_AFFILIATIONS, 1.0),
                      results, shown_items({"wire": 3, "ngo": 2}))
    assert mix.configured == {"government": 2, "independent": 0, "ngo": 2, "opposition": 2,
                              "wire": 2}
    assert mix.fetched == {"government": 2, "independent": 0, "ngo": 2, "opposition": 2,
                           "wire": 1}
    assert mix.shown == {"government": 0, "independent": 0, "ngo": 2, "opposition": 0,
                         "wire": 3}


def test_mix_warns_when_a_class_has_no_healthy_feed() -> None:
    results = [down(o.name, o.affiliation) if o.affiliation == "ngo"
               else ok(o.name, o.affiliation) for o in OUTLETS]
    balance = {**dict.fromkeys(DEFAULT_AFFILIATIONS, 1.0), "independent": 0.0}
    mix = account_mix(OUTLETS, DEFAULT_AFFILIATIONS, balance, results,
                      shown_items(dict.fromkeys(["government", "opposition", "wire"], 4)))
    assert worded(mix) == ("ngo (Human-rights NGO): no healthy feed (2 outlets configured, "
                            "none fetched)",)


def test_mix_warns_when_a_class_falls_far_below_its_balance_weight() -> None:
    balance = {**dict.fromkeys(DEFAULT_AFFILIATIONS, 0.0), "government": 1.0, "wire": 1.0}
    mix = account_mix(OUTLETS, DEFAULT_AFFILIATIONS, balance, healthy_results(),
                      shown_items({"government": 2, "wire": 18}))
    assert worded(mix) == ("government (Government & state media): 2 of 20 items shown (10%), "
                            "[balance] asks for 50%",)


def test_mix_warns_about_a_weighted_class_without_outlets() -> None:
    mix = account_mix(OUTLETS, DEFAULT_AFFILIATIONS, dict.fromkeys(DEFAULT_AFFILIATIONS, 1.0),
                      healthy_results(), shown_items(dict.fromkeys(
                          ["government", "opposition", "wire", "ngo"], 3)))
    assert worded(mix) == ("independent (Independent press): no outlet configured, though "
                            "[balance] gives it weight 1",)


def test_mix_to_json_has_the_digest_keys() -> None:
    mix = account_mix(OUTLETS[:1], {"government": "G"}, {"government": 1.0},
                      healthy_results(), shown_items({"government": 1}))
    assert mix_json(mix, {"government": "G"}) == {
        "configured": {"government": 1}, "fetched": {"government": 1},
        "shown": {"government": 1}, "warnings": []}



def test_mix_describes_one_line_per_count() -> None:
    mix = account_mix(OUTLETS[:3], {"government": "G", "opposition": "O"},
                      {"government": 1.0, "opposition": 1.0}, healthy_results(),
                      shown_items({"government": 4, "opposition": 1}))
    assert mix_lines(mix) == ["configured: government 2 · opposition 1",
                              "fetched: government 2 · opposition 1",
                              "shown: government 4 · opposition 1"]
