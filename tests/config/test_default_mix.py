"""The shipped default outlet mix (feeds.toml) and the offline example (examples/offline.toml).

Offline: reads only files inside the repository.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from counterpoint.analysis.terms import find_terms
from counterpoint.config.load import Config, parse_config

ROOT = Path(__file__).resolve().parents[2]
TOP_LEVEL = ROOT / "feeds.toml"
PACKAGED = ROOT / "src" / "counterpoint" / "config" / "feeds.toml"
EXAMPLE = ROOT / "examples" / "offline.toml"

MINIMUM_PER_CLASS = {"government": 5, "opposition": 5, "ngo": 5, "independent": 5, "wire": 4}


def load(path: Path) -> Config:
    return parse_config(path.read_text("utf-8"), path)


@pytest.fixture(scope="module")
def shipped() -> Config:
    return load(TOP_LEVEL)


@pytest.fixture(scope="module")
def example() -> Config:
    return load(EXAMPLE)


def test_shipped_config_validates(shipped: Config) -> None:
    assert shipped.outlets


def test_top_level_feeds_toml_is_byte_identical_to_package_copy() -> None:
    assert TOP_LEVEL.read_bytes() == PACKAGED.read_bytes()


def test_shipped_config_defines_the_five_classes(shipped: Config) -> None:
    assert set(shipped.affiliations) == set(MINIMUM_PER_CLASS)


@pytest.mark.parametrize(("affiliation", "minimum"), sorted(MINIMUM_PER_CLASS.items()))
def test_class_has_minimum_number_of_outlets(shipped: Config, affiliation: str,
                                             minimum: int) -> None:
    count = sum(1 for outlet in shipped.outlets if outlet.affiliation == affiliation)
    assert count >= minimum


def test_at_least_four_persian_feeds(shipped: Config) -> None:
    persian = [url for outlet, url in shipped.feeds() if outlet.language == "fa"]
    assert len(persian) >= 4


def test_every_outlet_cites_a_source_and_a_date(shipped: Config) -> None:
    missing = [o.name for o in shipped.outlets if not o.source or not o.as_of]
    assert missing == []


def test_every_as_of_is_a_year_and_month(shipped: Config) -> None:
    bad = [o.name for o in shipped.outlets if not re.fullmatch(r"\d{4}-\d{2}", o.as_of or "")]
    assert bad == []


def test_every_outlet_states_country_language_owner_and_funding(shipped: Config) -> None:
    missing = [o.name for o in shipped.outlets
               if not (o.country and o.language and o.owner and o.funding)]
    assert missing == []


def test_only_https_feed_urls(shipped: Config) -> None:
    assert [url for _, url in shipped.feeds() if urlsplit(url).scheme != "https"] == []


def test_no_duplicate_feed_urls_even_after_normalising(shipped: Config) -> None:
    def normal(url: str) -> str:
        parts = urlsplit(url)
        host = parts.netloc.lower().removeprefix("www.")
        return f"{host}{parts.path.rstrip('/')}?{parts.query}"

    counts = Counter(normal(url) for _, url in shipped.feeds())
    assert [url for url, n in counts.items() if n > 1] == []


def test_balance_gives_every_class_equal_weight(shipped: Config) -> None:
    assert set(shipped.balance) == set(shipped.affiliations)
    assert len(set(shipped.balance.values())) == 1


def test_settings_match_the_contract_defaults(shipped: Config) -> None:
    settings = shipped.settings
    assert (settings.window, settings.timeout, settings.concurrency, settings.per_host) == (
        timedelta(hours=24), 20.0, 32, 4)


def test_topics_parse_with_label_and_keywords(shipped: Config) -> None:
    assert len(shipped.topics) >= 5
    assert all(topic.label and topic.keywords for topic in shipped.topics)


def test_topics_include_persian_keywords(shipped: Config) -> None:
    persian = re.compile(r"[\u0600-\u06FF]")
    keywords = [k for topic in shipped.topics for k in topic.keywords]
    assert any(persian.search(k) for k in keywords)


def test_lexicon_groups_parse_with_contrasting_framings(shipped: Config) -> None:
    keys = {group.key for group in shipped.lexicon}
    assert {"unrest", "deaths", "mek", "israel", "state"} <= keys
    assert all(len(group.framings) >= 2 and group.notes for group in shipped.lexicon)


@pytest.mark.parametrize(("english", "persian"), [
    ("rioters", "اغتشاشگران"), ("protesters", "معترضان"), ("regime", "رژیم"),
    ("government", "حکومت"), ("martyrs", "شهید"), ("killed", "کشته")])
def test_shipped_lexicon_pairs_english_and_persian_words(shipped: Config, english: str,
                                                         persian: str) -> None:
    found = {match.text: match.framing
             for match in find_terms(f"{english} {persian}", shipped.lexicon)}
    assert found[english] == found[persian]


def test_wire_section_says_reuters_ap_and_afp_publish_no_rss() -> None:
    text = TOP_LEVEL.read_text("utf-8")
    assert "Reuters, AP and AFP publish no official public RSS" in text


def test_example_config_validates(example: Config) -> None:
    assert len(example.outlets) >= 4
    assert len({outlet.affiliation for outlet in example.outlets}) >= 3


def test_example_feed_files_exist_inside_examples(example: Config) -> None:
    examples = EXAMPLE.parent.resolve()
    for _, url in example.feeds():
        path = Path(url)
        assert path.is_file(), url
        assert path.resolve().is_relative_to(examples), url


def test_example_feed_files_are_well_formed_and_small(example: Config) -> None:
    for _, url in example.feeds():
        root = ET.parse(url).getroot()
        items = [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] in ("item", "entry")]
        assert 0 < len(items) <= 25, url


def test_example_window_covers_the_2020_snapshot(example: Config) -> None:
    # The shared-story feeds were captured on 2020-05-12 (oldest item 2020-05-10); a digest counts
    # its window back from now, so the window must reach that far.
    assert datetime.now(UTC) - example.settings.window <= datetime(2020, 5, 10, tzinfo=UTC)
