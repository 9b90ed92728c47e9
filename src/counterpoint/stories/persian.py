"""Persian text as grouping reads it: function words, post furniture and affixes.

Every rule here applies to Persian (Arabic-script) text only, so English grouping is untouched.
Persian news reaches readers largely as Telegram posts: a channel's @handle, hashtags and
links at the end, letters stretched for emphasis («فووووری»), readers' messages relayed in
colloquial Persian. Evidence of an event is the same as in English (names, places, rare
terms); function words, light verbs («قرار گرفت», «انجام داد»), reporting verbs, time words
and the words of the post's form are not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import chain
from typing import TYPE_CHECKING

from counterpoint.models import Item
from counterpoint.stories.normalize import fold, has_arabic_script

if TYPE_CHECKING:
    import numpy as np

# Per vocabulary term whether it is in Arabic script; texts holding such terms; texts holding
# other terms (`script_texts`).
Scripts = tuple["np.ndarray", int, int]

__all__ = [
    "ADDED", "FORM", "MONTHS", "NOISE", "STOPWORDS", "Scripts", "holds_persian", "is_persian",
    "post_text", "script_texts", "stem",
]

# Function words, pronouns, auxiliaries and reporting verbs.
_STOPWORDS = """
    و در به از که این آن را با است برای یک خود تا ها های بر می شد شده نیز هم اما یا اگر همه
    ما من او آنها ای بود کرد کرده کند کنند دارد باید گفت گفته اند شود شده‌است هر چه
    پس پیش بین روی زیر نه ولی همچنین دیگر بیش کم وی ایشان آنان شما ان اینکه آنکه سوی طی
    گزارش اعلام خبر خبرگزاری افزود می‌گوید گفته‌است داد دهد باشد بوده
"""
# More of each kind (bench/README.md, "Persian grouping", says what each kind added). Light
# verbs and auxiliaries carry no event («مورد حمله قرار گرفت» is "was attacked», «رخ داد»,
# «انجام داد», «صورت گرفت»); compound prepositions («به دلیل», «بر اساس», «در پی», «به
# عنوان»); quantifiers and determiners; adverbs of time («الان», «دقایقی پیش», «تاکنون»);
# reporting verbs and "claims" (English drops say / report / claim); the colloquial words
# of readers' messages that news channels relay («سلام», «یه», «رو», «اومد»); number words
# below 100 (English drops one- and two-digit numbers).
_MORE_STOPWORDS = """
    قرار گرفت گرفته گرفتند میگیرد کردند کردهاند میکند میکنند کردن کنیم کردیم دادند داده
    دادهاند میدهد میدهند دادیم داشت داشته داشتند دارند هستند هست نیست بودند شدند شدهاند
    میشود میشوند نمیشود خواهد خواهند انجام رخ صورت
    درباره مورد عنوان اساس توسط تحت میان بدون حدود پی دلیل حال سمت طرف نزد جز مانند مثل
    چون زیرا حتی البته باره همراه علیه برابر مقابل هنگام داخل اطراف حوالی نزدیکی محدوده
    همان همین چنین چند چندین برخی بعضی هیچ یکی دیگری تمام بسیاری خیلی بیشتر بیشتری خودش
    خودشان
    الان اکنون هماکنون تاکنون هنوز همچنان دوباره فقط تنها قبل بعد سپس اخیرا اخیر دقایقی
    لحظاتی ساعاتی لحظه همزمان هفته
    نوشت نوشته گفتند میگویند اظهار ادعا ادعای مدعی نقل خبرنگار منتشر
    سلام یه رو اومد دیگه
    دو سه چهار پنج شش هفت هشت ده یازده دوازده سیزده چهارده پانزده شانزده هفده هجده نوزده
    بیست سی چهل پنجاه شصت هفتاد هشتاد نود
"""
# Solar Hijri months, Persian weekdays and time words: dates, like their English twins.
_MONTHS = """فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند"""
_NOISE = """شنبه یکشنبه دوشنبه سه‌شنبه چهارشنبه پنج‌شنبه پنجشنبه جمعه امروز دیروز فردا
    امشب دیشب روز ماه سال ساعت دقیقه صبح عصر شب بامداد ظهر اول دوم سوم"""
# The words of a post's form, like English "breaking", "video", "photos", "channel", "link".
_FORM = """فوری عاجل ویدیو ویدئو ویدیوی تصاویر تصویر عکس کانال لینک اخبار تکمیلی توییتر
    تلگرام اینستاگرام یوتیوب دریافتی شرح"""

# Folded when the module loads (ZWNJ goes, Arabic letter forms become Persian). The words
# added by f13 are also kept apart (ADDED, FORM) for bench/persian.py's ablation.
ADDED = frozenset(fold(word) for word in _MORE_STOPWORDS.split())
FORM = frozenset(fold(word) for word in _FORM.split())
STOPWORDS = frozenset(fold(word) for word in _STOPWORDS.split()) | ADDED
MONTHS = frozenset(fold(word) for word in _MONTHS.split())
NOISE = frozenset(fold(word) for word in _NOISE.split()) | FORM

_PLURALS = ("های", "ها")
# Each rule below can be switched off (bench/persian.py --ablation); all are on in use.
EZAFE = True
CLEAN = True


def stem(word: str) -> str:
    """The matching form of one folded Persian word (longer than 4 letters): a plural (and
    plural + ezafe) loses its suffix, «انفجارهای», «انفجارها» -> «انفجار»; after a final
    alef, the ezafe or indefinite «ی» and the adjective ending «یی» go: «امریکای»,
    «امریکایی» -> «امریکا», «صدای» -> «صدا» (a Persian word ending in «ای» is such a form)."""
    if word.endswith(_PLURALS):
        return word[:-3] if word.endswith("های") else word[:-2]
    if EZAFE and word.endswith("ای"):
        return word[:-1]
    if EZAFE and word.endswith("ایی"):
        return word[:-2]
    return word


# A link, a channel's @handle (Telegram usernames are Latin letters, digits and "_"; some
# channels sign "@ Name"), a hashtag (the channel's own section labels: «#اخبار_خوزستان»).
_FURNITURE = re.compile(r"(?:https?://|www\.|t\.me/)\S+|@ ?[a-z0-9_]{3,}|#\w+")
_STRETCHED = re.compile(r"([\u0620-\u064A\u067E-\u06D3])\1{2,}")  # «فووووری», «بدددد»


def post_text(text: str) -> str:
    """Folded Persian text without a post's furniture: links, @handles, hashtags, a letter
    repeated three or more times (no Persian word has one) written once."""
    if not CLEAN:
        return text
    return _STRETCHED.sub(r"\1", _FURNITURE.sub(" ", text))


def script_texts(docs: Sequence[Sequence[str]], encoded: tuple[np.ndarray, np.ndarray, int]
                 ) -> Scripts | None:
    """For a batch holding Persian (`docs` encoded by `signals.encode`): which terms of the
    vocabulary are in Arabic script, how many texts hold Arabic-script terms and how many hold
    others. A word's share of a batch is its share of the texts that could hold it. None when
    no term is Persian."""
    import numpy as np

    ids, owner, _ = encoded
    terms = dict.fromkeys(chain.from_iterable(docs))
    flags = np.fromiter((not term.isascii() and has_arabic_script(term) for term in terms),
                        dtype=bool, count=len(terms))
    if not flags.any():
        return None
    arabic = flags[ids]
    persian_texts = int(np.count_nonzero(np.bincount(owner[arabic], minlength=len(docs))))
    other_texts = int(np.count_nonzero(np.bincount(owner[~arabic], minlength=len(docs))))
    return flags, persian_texts, other_texts


def holds_persian(words: Iterable[str]) -> bool:
    """True when any of the words is in Arabic script (a Persian word starts with a letter
    at or above U+0600; the test is cheap on the distinct words of a batch)."""
    return any(word >= "\u0600" and has_arabic_script(word) for word in words)


def is_persian(item: Item) -> bool:
    """True when the item's title is in Arabic script (or, for a title without letters, its
    summary): a Persian post's title always is, and only titles need the letter test."""
    title = item.title
    if not title.isascii():
        return has_arabic_script(title)
    return not any(char.isalpha() for char in title) and has_arabic_script(item.summary)
