"""One night of strikes told place by place (in Persian, as news channels post it): two places
in one province, each reported by several channels quoting the same provincial official in
the same words, and other news of that night. (outlet, hours after the first, title, summary).
Written for the tests after the pattern of the xling dev day's posts."""

from __future__ import annotations

from wildfirehelp import Report

ANDIMESHK: list[Report] = [
    ("Fars", 0.2, "حمله موشکی به اطراف شهر اندیمشک",
     "معاون امنیتی و انتظامی استاندار خوزستان اعلام کرد یک نقطه در اطراف شهر اندیمشک هدف "
     "حمله موشکی دشمن قرار گرفته است."),
    ("Vahid", 0.6, "معاون استاندار خوزستان: حمله موشکی به اطراف اندیمشک",
     "به گزارش تسنیم، معاون امنیتی و انتظامی استاندار خوزستان اعلام کرد یک نقطه در اطراف "
     "اندیمشک هدف حمله موشکی قرار گرفته است."),
]
SHALAMCHEH: list[Report] = [
    ("Akhbar", 0.0, "حمله موشکی به اطراف پایانه مرزی شلمچه",
     "معاون امنیتی و انتظامی استاندار خوزستان اعلام کرد یک نقطه در اطراف پایانه مرزی شلمچه "
     "هدف حمله موشکی دشمن قرار گرفته است."),
    ("Vahid", 0.3, "معاون استاندار خوزستان: حمله موشکی به مرز شلمچه",
     "به گزارش تسنیم، معاون امنیتی و انتظامی استاندار خوزستان اعلام کرد اطراف پایانه مرزی "
     "شلمچه هدف حمله موشکی قرار گرفته است."),
    ("Fars", 0.4, "دو کشته در حمله موشکی به مرز شلمچه",
     "معاون امنیتی و انتظامی استاندار خوزستان: تاکنون دو نفر در حمله موشکی به اطراف پایانه "
     "مرزی شلمچه کشته شدند."),
]
# Other news of the night, so the batch is not only the strikes.
OTHER: list[Report] = [
    ("Fars", 1.0, "قیمت دلار در بازار آزاد کاهش یافت",
     "نرخ دلار آمریکا در بازار آزاد تهران امروز پایین آمد."),
    ("Akhbar", 1.5, "تیم ملی والیبال به مرحله نهایی لیگ ملت‌ها رسید",
     "تیم ملی والیبال ایران با پیروزی بر لهستان به مرحله نهایی راه یافت."),
    ("Vahid", 2.0, "بحران کم‌آبی در زاهدان ادامه دارد",
     "خبرگزاری ایلنا از ادامه قطعی آب در زاهدان و برخی مناطق سیستان و بلوچستان خبر داد."),
]
