"""Persian posts: what grouping reads as evidence of an event, and what it does not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from counterpoint.models import Item
from counterpoint.stories.group import group_items
from counterpoint.stories.normalize import fold
from counterpoint.stories.persian import holds_persian, post_text, script_texts
from counterpoint.stories.signals import encode
from counterpoint.stories.tokens import evidence_words, words

BASE = datetime(2026, 7, 23, 6, 0, tzinfo=UTC)


def post(outlet: str, title: str, summary: str = "", hours: float = 0.0) -> Item:
    return Item(outlet=outlet, affiliation="independent", feed_url=f"https://{outlet}.example/rss",
                key=f"{outlet}:{title}", title=title, summary=summary, link=None,
                published=BASE + timedelta(hours=hours))


def test_light_verbs_prepositions_and_time_words_are_not_evidence() -> None:
    # "A few minutes ago, a Saudi tanker was attacked near the Red Sea" (light verb «مورد
    # حمله قرار گرفت», «در نزدیکی», «دقایقی پیش»): the event words stay, the rest goes.
    kept = words("دقایقی پیش یک نفتکش سعودی در نزدیکی دریای سرخ مورد حمله قرار گرفت")
    assert kept == [fold(w) for w in ("نفتکش", "سعودی", "دریای", "سرخ", "حمله")]


def test_readers_messages_sharing_only_their_chatter_stay_apart() -> None:
    # Relayed readers' messages: "hello, right now a loud explosion came from Ahvaz" and
    # "hello, right now the power in Tehran went out": greeting, "right now", "came" and the
    # "received messages" label are the channel's form, not an event.
    blast = post("VahidOnline", "پیام‌های دریافتی: سلام، همین الان صدای انفجار از اهواز اومد",
                 "پیام‌های دریافتی: سلام، همین الان صدای انفجار شدید از اهواز اومد")
    power = post("Akhbar", "پیام‌های دریافتی: سلام، همین الان برق تهران رفت",
                 "پیام‌های دریافتی: سلام، همین الان برق کل تهران رفت", 1)
    assert group_items([blast, power]) == [[0], [1]]


def test_a_channels_handle_hashtags_and_links_are_not_evidence() -> None:
    assert post_text(fold("انفجار در جاسک @ VahidOOnLine #اخبار_هرمزگان https://t.me/x/1")
                     ).split() == ["انفجار", "در", "جاسک"]


def test_stretched_letters_are_read_as_written_once() -> None:
    assert post_text(fold("فووووووری/ بدددد")) == fold("فوری/ بد")


def test_ezafe_after_alef_matches_the_bare_word() -> None:
    # «امریکای» (America's), «امریکایی» (American) and «امریکا» are one word for matching.
    bare = evidence_words([fold("آمریکا")], {})
    assert evidence_words([fold("آمریکای")], {}) == bare
    assert evidence_words([fold("آمریکایی")], {}) == bare


def test_words_of_each_script_are_counted_among_the_texts_of_that_script() -> None:
    docs = [["حمله", "کویت"], ["حمله", "iran"], ["iran"], ["iran", "oil"]]
    scripts = script_texts(docs, encode(docs))
    assert scripts is not None
    flags, persian_texts, other_texts = scripts
    assert flags.tolist() == [True, True, False, False]  # حمله, کویت, iran, oil
    assert (persian_texts, other_texts) == (2, 3)
    english = [["iran", "oil"], ["oil"]]
    assert script_texts(english, encode(english)) is None


def test_english_items_around_do_not_change_how_persian_posts_group() -> None:
    persian = [
        post("Fars", "حمله موشکی به اطراف شهر اندیمشک", "یک نقطه در اطراف اندیمشک هدف حمله موشکی "
             "قرار گرفت", 0),
        post("Tasnim", "حمله موشکی به اندیمشک", "معاون استاندار خوزستان از حمله موشکی به "
             "اطراف اندیمشک خبر داد", 0.5),
        post("Akhbar", "حمله موشکی به مرز شلمچه", "پایانه مسافربری مرز شلمچه هدف حمله موشکی "
             "قرار گرفت", 1),
        post("Vahid", "حمله موشکی به گذرگاه شلمچه", "گذرگاه مرزی شلمچه هدف حمله موشکی قرار "
             "گرفت", 1.5),
        post("Alo", "حمله به پایگاه علی‌السالم کویت", "آتش‌سوزی در پایگاه علی‌السالم کویت پس "
             "از حمله ادامه دارد", 2),
        post("Fars2", "حمله پهپادی به گذرگاه العبدلی کویت", "گذرگاه مرزی العبدلی کویت هدف "
             "حمله پهپادی قرار گرفت", 2.5),
    ]
    english = [post(f"Wire{k}", f"Markets story {k}: shares of company{k} rise in trading",
                    f"Shares of company{k} rose {k + 3} percent in trading on report {k}.", k / 4)
               for k in range(40)]
    alone = group_items(persian)
    mixed = group_items(persian + english)
    assert [g for g in mixed if g[0] < len(persian)] == alone
    assert holds_persian(["iran", "حمله"]) and not holds_persian(["iran", "café", "“quoted”"])
