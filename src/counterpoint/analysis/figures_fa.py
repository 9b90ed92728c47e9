"""Figures in Persian: Persian, Arabic-Indic and ASCII digits (with ٬ and ٫), number words
(«دوازده», «سیصد و بیست», «دو هزار و پانصد»), vague amounts («ده‌ها», «صدها», «هزاران»,
«چند صد»), qualifiers («دست کم», «بیش از», «حدود»), ranges («۱۰ تا ۲۰ هزار»), percentages
(«درصد», ٪) and currencies («میلیارد تومان», «دلار»), and the words that say what was counted.

Matching runs on a same-length copy of the text (`prepare`): ASCII digits, one spelling of ye,
kaf, heh and alef, so offsets still point into the text as written. Persian puts the verb last
(«۱۲ نفر در اعتراضات زاهدان کشته شدند»), so a kind word may stand further after the number
than in English. Dates (Jalali, Gregorian and Hijri month names, «سال ۹۸», «۱۴۰۳/۰۸/۲۵»),
Jalali or Gregorian years standing alone, times, ages and durations («۲۷ ساله», «۱۰ سال»),
weekdays («سه شنبه»), ordinals («۱۲ام», «دوازدهم») and labels («ماده ۵», «موج ۲۶») are not
figures. Qualifiers are given in English words so figures compare across languages.
"""

from __future__ import annotations

import re

from counterpoint.analysis.figure_rules import (
    FigureRules,
    Mask,
    NumberToken,
    masked_spans,
    overlaps,
)

_PREPARE = str.maketrans({
    **{chr(0x06F0 + d): str(d) for d in range(10)}, **{chr(0x0660 + d): str(d) for d in range(10)},
    "٬": ",", "٫": ".", "٪": "%", "ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه",
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و"})
_COMMA_IN_NUMBER = re.compile(r"(?<=\d)،(?=\d{3}(?!\d))")


def prepare(text: str) -> str:
    """The text as the Persian patterns read it: same length, ASCII digits, one letter form."""
    return _COMMA_IN_NUMBER.sub(",", text.translate(_PREPARE))


_L = r"(?<![^\W\d_])"  # not after a letter (a digit may touch: «۲نفر»)
_R = r"(?![^\W\d_]|\u200c)"  # not before a letter or a zero-width non-joiner
_S = r"[\s\u200c]*"
_SS = r"[\s\u200c]+"


def _words(*words: str) -> str:
    """Alternation of words, longest first, a space inside a word matching space, ZWNJ or none."""
    return "|".join(word.replace(" ", _S) for word in sorted(words, key=len, reverse=True))


_UNITS = {"یک": 1, "دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "شیش": 6, "هفت": 7,
          "هشت": 8, "نه": 9}
_TEENS_TENS = {"ده": 10, "یازده": 11, "دوازده": 12, "سیزده": 13, "چهارده": 14, "پانزده": 15,
               "پونزده": 15, "شانزده": 16, "هفده": 17, "هجده": 18, "هیجده": 18, "نوزده": 19,
               "بیست": 20, "سی": 30, "چهل": 40, "پنجاه": 50, "شصت": 60, "هفتاد": 70,
               "هشتاد": 80, "نود": 90}
_HUNDREDS = {"صد": 100, "یکصد": 100, "دویست": 200, "سیصد": 300, "چهارصد": 400, "پانصد": 500,
             "ششصد": 600, "هفتصد": 700, "هشتصد": 800, "نهصد": 900}
_SCALES = {"هزار": 1_000, "میلیون": 1_000_000, "میلیارد": 1_000_000_000,
           "بیلیون": 1_000_000_000, "تریلیون": 1_000_000_000_000}
_NUMBER_WORDS = {**_UNITS, **_TEENS_TENS, **_HUNDREDS}
# Vague amounts stand for the least they can mean, as in English («صدها» is at least 200).
_VAGUE = [("ده ها", 20), ("دهها", 20), ("صد ها", 200), ("هزاران", 2_000), ("میلیون ها", 2_000_000),
          ("میلیارد ها", 2_000_000_000), ("چند ده", 30), ("چند صد", 300), ("چند هزار", 3_000),
          ("چند میلیون", 3_000_000), ("چند میلیارد", 3_000_000_000)]
_VAGUE_VALUES = {re.sub(r"[\s\u200c]", "", words): value for words, value in _VAGUE}
_DIGITS = (r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"
           r"|\d+/\d{1,2}(?=" + _S + r"(?:%|درصد|هزار|میلیون|میلیارد))|\d+(?:\.\d+)?")
_ATOM = re.compile(
    r"(?P<cur>US\$|\$|€|£)?(?P<digits>" + _DIGITS + r")"
    r"|" + _L + r"(?:(?P<vague>" + _words(*(words for words, _ in _VAGUE)) + r")"
    r"|(?P<scale>" + _words(*_SCALES) + r")|(?P<word>" + _words(*_NUMBER_WORDS) + r"))"
    r"(?![^\W\d_]|\u200c(?!هزار|میلیون|میلیارد|صد))")  # «سه‌هزار» but not «سه‌شنبه»
# «یک» is also "a", «نه» also "not": alone they count only before a counter («یک نفر»).
_ARTICLE_LIKE = frozenset({"یک", "نه"})
_COUNTER = re.compile(_S + r"(?:نفر|تن)" + _R)
_GAP_JOINED = re.compile(_S)
_GAP_AND = re.compile(_SS + r"و" + _SS)
_RANGE = re.compile(_S + r"(?:تا|الی|-|–)" + _S)
_RANGE_AND = re.compile(_SS + r"و" + _SS)
_PERCENT = re.compile(_S + r"(?:%|درصد(?:ی)?" + _R + ")")
_CURRENCY_WORD = re.compile(_S + r"(?P<unit>" + _words(
    "تومان", "تومن", "ریال", "دلار", "یورو", "پوند", "درهم", "یوان", "روبل", "لیر", "دینار")
    + r")(?:ی)?" + _R)
_CURRENCY_NAMES = {"تومان": "tomans", "تومن": "tomans", "ریال": "rials", "دلار": "dollars",
                   "یورو": "euros", "پوند": "pounds", "درهم": "dirhams", "یوان": "yuan",
                   "روبل": "rubles", "لیر": "liras", "دینار": "dinars"}
_QUALIFIERS = {"دست کم": "at least", "دستکم": "at least", "حداقل": "at least",
               "لااقل": "at least", "حداکثر": "at most", "بیش از": "more than",
               "بیشتر از": "more than", "افزون بر": "more than", "متجاوز از": "more than",
               "بالغ بر": "over", "بالای": "over", "کمتر از": "less than", "کم تر از": "less than",
               "حدود": "around", "در حدود": "around", "حدودا": "around", "حدوداً": "around",
               "تقریبا": "approximately", "تقریباً": "approximately", "نزدیک به": "nearly",
               "قریب به": "nearly", "بین": "between", "میان": "between"}
_QUALIFIER = re.compile(_L + r"(?P<q>" + _words(*_QUALIFIERS) + r")" + _SS + r"$")
_YEAR = re.compile(r"(?:13|14|19|20)\d\d")

_MONTHS = _words(
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "امرداد", "شهریور", "مهر", "آبان", "آذر",
    "دی", "بهمن", "اسفند", "ژانویه", "فوریه", "مارس", "آوریل", "مه", "می", "ژوئن", "ژوئیه",
    "جولای", "اوت", "آگوست", "سپتامبر", "اکتبر", "نوامبر", "دسامبر", "محرم", "صفر",
    "ربیع الاول", "ربیع الثانی", "جمادی الاول", "جمادی الثانی", "رجب", "شعبان", "رمضان",
    "شوال", "ذی القعده", "ذی الحجه").translate(_PREPARE)
_YEAR_AFTER = r"(?:" + _SS + r"(?:سال" + _SS + r")?\d{2,4}(?!\d))?"
_MONTH_NAMES = tuple(re.sub(r"\[.*", "", name) for name in _MONTHS.split("|"))
_DURATIONS = ("ساله", "سالگی", "سال", "ماهه", "ماه", "روزه", "روز", "هفته", "ساعته", "ساعت",
              "دقیقه", "ثانیه", "شبانه روز", "قرن", "دهه", "نوبت", "بار", "برابر")
_LABELS = ("ساعت", "ماده", "بند", "اصل", "تبصره", "قطعنامه", "شماره", "پرواز", "منطقه", "ناحیه",
           "فاز", "مرحله", "دور", "موج", "شعبه", "گروه", "قانون", "کد", "پلاک", "خیابان", "کوچه",
           "واحد", "بلوک", "بخش", "کانال", "سطح", "رتبه", "جدول", "فصل", "قسمت", "صفحه", "ردیف",
           "هفته", "تیپ", "لشکر", "گردان", "اتاق", "سالن", "ترمینال", "خط", "سکو", "پایه", "کلاس")
_ERAS = ("شمسی", "خورشیدی", "میلادی", "هجری", "قمری")
# Each pattern with the strings one of which its match needs; all but the weekday need a digit.
_NOT_A_FIGURE: list[Mask] = [
    (re.compile(r"\d{1,2}" + _S + r"(?:" + _MONTHS + r")" + _R + r"(?:" + _S + r"ماه)?"
                + _YEAR_AFTER), _MONTH_NAMES),
    (re.compile(_L + r"(?:" + _MONTHS + r")" + r"(?:" + _S + r"ماه)?" + _SS + r"(?:سال" + _SS
                + r")?\d{2,4}(?!\d)"), _MONTH_NAMES),
    (re.compile(_L + r"سال" + _SS + r"\d{2,4}(?:" + _S + r"(?:تا|-|–)" + _S + r"\d{2,4})?(?!\d)"),
     ("سال",)),
    (re.compile(r"\d{4}" + _S + r"(?:" + "|".join(_ERAS) + ")"), _ERAS),
    (re.compile(r"\d+(?:[.,/]\d+)?" + _S + r"(?:" + _words(*_DURATIONS) + r")" + _R),
     _DURATIONS),
    (re.compile(_L + r"(?:" + "|".join(_LABELS) + r")" + _SS + r"\d+"), _LABELS),
    (re.compile(r"\d+\u200c?(?:امین|ام|مین|م)" + _R), ("م",)),
    (re.compile(r"\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b"), ("-", "/", ".")),
    (re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b"), (":",)),
    (re.compile(r"(?<![\w+])\+\d[\d\s().-]{6,}\d"), ("+",)),
    (re.compile(r"(?m)^\s*\(?\d{1,3}[.)](?=\s)"), (".", ")")),
    (re.compile(r"\(\d{1,3}\)"), ("(",)),
    (re.compile(r"#\s?\d+"), ("#",)),
]
_WEEKDAY: list[Mask] = [(re.compile(_L + r"(?:یک|دو|سه|چهار|پنج)" + _S + r"شنبه"), ("شنبه",))]
_DIGIT = re.compile(r"\d")
# Letter runs holding a number word: a text without one, and without a digit, has no number.
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_NUMBER_STARTS = frozenset([*_UNITS, *_TEENS_TENS, *_HUNDREDS, *_SCALES, "هزاران", "دهها", "صدها",
                            "میلیونها", "میلیاردها", "چندصد", "چندهزار", "چندده", "چندمیلیون",
                            "چندمیلیارد"])


def _kind(*words: str) -> re.Pattern[str]:
    return re.compile(_L + r"(?:" + _words(*words) + r")[\w\u200c]*")


# A kind word starts a word («کشته» finds «کشته‌شدگان»); each is listed as a stem or whole form.
_CASUALTY_WORDS = (
    ("killed", _kind("کشته", "کشتار", "جان باخت", "جان سپرد", "جان خود را از دست",
                     "به قتل رس", "قتل عام", "شهید", "شهدا", "به شهادت", "شهادت", "فوتی",
                     "فوت", "درگذشت", "مرگ" + _R, "قربانی", "اجساد", "جسد")),
    ("injured", _kind("زخمی", "مجروح", "مصدوم", "جراحت", "زخم")),
    ("casualties", _kind("تلفات")),
    ("arrested", _kind("بازداشت", "دستگیر", "زندانی", "محبوس", "در حبس", "به زندان افتاد")),
    ("executed", _kind("اعدام", "به دار آویخت", "به دار اویخت", "قصاص")),
    ("turnout", _kind("مشارکت")),
)
_PEOPLE_NOUN = _kind(
    "نفر", "تن" + _R, "معترض", "تظاهرکننده", "تظاهرکنندگان", "شرکت کننده", "شرکت کنندگان",
    "دانشجو", "کارگر", "زن" + _R, "زنان", "کودک", "شهروند", "ایرانی", "سرباز", "نیروی",
    "نیروها", "عضو", "اعضا", "فعال", "روزنامه نگار", "خبرنگار", "زائر", "عزادار",
    "رای دهنده", "رای دهندگان", "رأی دهندگان", "مردم", "پناهجو", "مهاجر", "غیرنظامی",
    "خانواده", "اتباع", "تبعه", "راهپیما", "نمازگزار", "هوادار")
_PEOPLE_VERB = _kind("شرکت کرد", "شرکت داشت", "حضور یافت", "حضور داشت", "تجمع کرد",
                     "راهپیمایی کرد", "گرد آمد", "گردهم آمد", "اعتراض کرد", "تظاهرات کرد")
_CROWD_OF = _kind("جمعیت", "جمعیتی", "با حضور", "با شرکت", "اجتماع", "تجمع")
_LINKING = re.compile(_L + r"(?:" + _words("که", "وقتی", "زمانی", "هنگامی", "پس از", "بعد از",
                                           "قبل از", "پیش از", "اما", "ولی", "زیرا", "چون",
                                           "اگر", "درحالی", "در حالی") + r")" + _R)
_BOUNDARY = re.compile(r"[.;:!?()\[\]\"“”«»—–،؛؟…]|,\s|\s-\s|\n")
_LEADING_TO_NUMBER = frozenset(
    word.translate(_PREPARE) for word in (
        "به", "از", "را", "بر", "هم", "نیز", "تاکنون", "اکنون", "شمار", "تعداد", "آمار",
        "رقم", "شدن", "شده", "شدگان", "است", "بود", "بوده", "رسید", "رسیده", "شد", "تن", "نفر",
        "حدود", "دست", "کم", "بیش", "با", "کل", "مجموع", "کنون"))


def scan(prepared: str) -> list[NumberToken]:
    """The numbers of a Persian text (as `prepare` gives it) that may be figures, in order."""
    has_digit = _DIGIT.search(prepared) is not None
    if not has_digit and _NUMBER_STARTS.isdisjoint(_LETTER_RUN.findall(prepared)):
        return []
    atoms = list(_ATOM.finditer(prepared))
    if not atoms:
        return []
    masked = masked_spans(prepared, _NOT_A_FIGURE + _WEEKDAY if has_digit else _WEEKDAY)
    tokens: list[NumberToken] = []
    index = 0
    while index < len(atoms):
        chain, index = _chain(prepared, atoms, index)
        token = _token(prepared, atoms, chain, masked)
        if token is not None:
            tokens.append(token)
            while index < len(atoms) and atoms[index].start() < token.end:
                index += 1
    return tokens


def _chain(text: str, atoms: list[re.Match[str]], first: int) -> tuple[list[int], int]:
    """Indexes of the atoms that read as one number from `first` on, and the index after."""
    chain = [first]
    index = first + 1
    while index < len(atoms):
        previous, atom = atoms[chain[-1]], atoms[index]
        gap = text[previous.end():atom.start()]
        joined = _GAP_JOINED.fullmatch(gap) is not None and _joins(previous, atom)
        added = _GAP_AND.fullmatch(gap) is not None and _adds(previous, atom)
        if atom.group("cur") or not (joined or added):
            break
        chain.append(index)
        index += 1
    return chain, index


def _atom_value(atom: re.Match[str]) -> float:
    if atom.group("digits"):
        return float(atom.group("digits").replace(",", "").replace("/", "."))
    if atom.group("vague"):
        return float(_VAGUE_VALUES[re.sub(r"[\s\u200c]", "", atom.group("vague"))])
    if atom.group("scale"):
        return float(_SCALES[atom.group("scale")])
    return float(_NUMBER_WORDS[re.sub(r"[\s\u200c]", "", atom.group("word"))])


def _joins(previous: re.Match[str], atom: re.Match[str]) -> bool:
    """«سه هزار», «۱۲ میلیون», «ده‌ها هزار», «سه صد»: a scale after a number multiplies it."""
    if atom.group("scale"):
        return not previous.group("scale") or _atom_value(atom) > _atom_value(previous)
    return bool(atom.group("word") == "صد" and previous.group("word")
                and _atom_value(previous) < 10)


def _adds(previous: re.Match[str], atom: re.Match[str]) -> bool:
    """«بیست و پنج», «دو هزار و پانصد», «۱۲ هزار و ۵۰۰»: a smaller part after و adds to it."""
    if atom.group("scale") or atom.group("vague"):
        return False
    if not (atom.group("word") or previous.group("scale")):
        return False
    value, before = _atom_value(atom), _atom_value(previous)
    place = 10 ** len(str(int(value)))
    return value < before and before % place == 0


def _chain_value(atoms: list[re.Match[str]], chain: list[int]) -> float:
    total = current = 0.0
    for index in chain:
        atom = atoms[index]
        value = _atom_value(atom)
        if atom.group("scale"):
            total += max(current, 1.0) * value
            current = 0.0
        elif atom.group("word") == "صد" and current:
            current *= 100
        else:
            current += value
    return total + current


def _token(text: str, atoms: list[re.Match[str]], chain: list[int],
           masked: list[tuple[int, int]]) -> NumberToken | None:
    first, last = atoms[chain[0]], atoms[chain[-1]]
    start, end = first.start(), last.end()
    if overlaps(masked, start, end) or _glued(text, start, end, first):
        return None
    if (len(chain) == 1 and first.group("word") in _ARTICLE_LIKE
            and not _COUNTER.match(text, end)):
        return None
    value = _chain_value(atoms, chain)
    vague = any(atoms[index].group("vague") for index in chain)
    scaled = any(atoms[index].group("scale") for index in chain)
    currency = first.group("cur")
    prefix = _QUALIFIER.search(text, max(0, start - 40), start)
    qualifier = _QUALIFIERS.get(_plain(prefix.group("q"))) if prefix else None
    if qualifier is None:
        prefix = None
    high = None
    joiner = _RANGE.match(text, end) or (_RANGE_AND.match(text, end) if qualifier == "between"
                                         else None)
    if joiner and (top := _following_number(text, joiner.end(), masked)) is not None:
        top_value, top_end, top_scale = top
        if not scaled and top_scale and value * top_scale < top_value:
            value *= top_scale
        if top_value > value:
            high, end = top_value, top_end
    percent = False
    if suffix := _PERCENT.match(text, end):
        percent, end = True, suffix.end()
    elif suffix := _CURRENCY_WORD.match(text, end):
        currency, end = _CURRENCY_NAMES[suffix.group("unit")], suffix.end()
    year_like = bool(len(chain) == 1 and first.group("digits")
                     and _YEAR.fullmatch(first.group("digits"))
                     and not (currency or percent or high))
    return NumberToken(prefix.start() if prefix else start, start, end, value, high, qualifier,
                       bool(vague), currency, percent, year_like)


def _plain(words: str) -> str:
    return " ".join(words.replace("\u200c", " ").split())


def _following_number(text: str, position: int,
                      masked: list[tuple[int, int]]) -> tuple[float, int, float] | None:
    """The number right at `position` (the top of a range): value, end, scale word's value."""
    atoms = list(_ATOM.finditer(text, position, min(len(text), position + 60)))
    if not atoms or atoms[0].start() != position or atoms[0].group("cur"):
        return None
    chain, _ = _chain(text, atoms, 0)
    end = atoms[chain[-1]].end()
    if overlaps(masked, position, end):
        return None
    scales = [_atom_value(atoms[index]) for index in chain if atoms[index].group("scale")]
    return _chain_value(atoms, chain), end, max(scales, default=0.0)


def _glued(text: str, start: int, end: int, first: re.Match[str]) -> bool:
    """Part of an identifier: «F-35», "B52", «ب۱»; Persian words may touch the digits after."""
    before = text[start - 1] if start else " "
    if first.group("digits") and not first.group("cur"):
        if before.isalnum() or before in "_@/":
            return True
        if before in "-‐" and start >= 2 and text[start - 2].isalnum():
            return True
    after = text[end] if end < len(text) else " "
    return after.isascii() and (after.isalnum() or after == "-")


PERSIAN = FigureRules(
    prepare=prepare, scan=scan, casualty_words=_CASUALTY_WORDS, people_noun=_PEOPLE_NOUN,
    people_verb=_PEOPLE_VERB, crowd_of=_CROWD_OF, linking=_LINKING, boundary=_BOUNDARY,
    leading_to_number=_LEADING_TO_NUMBER, after_words=10, before_words=4,
    turnout_needs_percent=True, leading_unknown_words=1)
