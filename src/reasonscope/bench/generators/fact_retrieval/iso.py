"""fact_retrieval/general families: ISO 3166 country, ISO 4217 currency, ISO 639 language codes.

The code tables come from pycountry; tiers of familiarity are hand-chosen lists (the package has
no notion of how well known an entry is). Level 1 asks two-letter codes of the most familiar
countries and languages, alone; level d asks d codes at once, and level 5 asks numeric codes,
territories, funds and rare languages. A code-to-name question (whose answer has spellings) is
only asked alone, at level 1.
"""

from __future__ import annotations

import random
from functools import cache
from typing import Any

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.fact_retrieval.common import (
    Fact,
    int_fact,
    level_draft,
    string_fact,
)
from reasonscope.taxonomy import Behavior, Domain

# --------------------------------------------------------------------------- countries

_COUNTRY_TIERS = {
    1: "US GB FR DE IT ES CN JP IN BR CA AU RU MX KR ZA EG NG AR SE NO NL CH PT GR TR IE PL NZ "
       "BE AT DK FI",
    2: "ID PK BD VN TH PH MY SG IL SA AE IR IQ UA CZ HU RO BG HR RS KE ET MA DZ TN GH CO PE CL VE "
       "CU IS LU MC SK SI LT LV EE BY KZ UZ AF NP LK MM KH QA KW JO LB SY",
}
_TERRITORIES = ("AS AI AQ AW AX BL BM BQ BV CC CK CW CX EH FK FO GF GG GI GL GP GS GU HK HM IM IO "
                "JE KY MF MO MP MQ MS NC NF NU PF PM PN PR RE SH SJ SX TC TF TK UM VG VI WF YT")
_COUNTRY_ALIASES = {
    "US": ["United States of America", "USA", "the US", "America"],
    "GB": ["United Kingdom of Great Britain and Northern Ireland", "UK", "Great Britain",
           "Britain"],
    "RU": ["Russia"], "KR": ["South Korea", "Republic of Korea", "Korea"],
    "CZ": ["Czech Republic"], "TR": ["Turkey", "Turkiye"], "NL": ["Holland", "The Netherlands"],
    "IR": ["Iran"], "VN": ["Vietnam"], "SY": ["Syria"], "VE": ["Venezuela"], "CN": ["PRC"],
    "AE": ["UAE"], "MM": ["Myanmar", "Burma"], "CH": ["Swiss Confederation"],
}


@cache
def country_tiers() -> dict[int, list[Any]]:
    import pycountry

    by_code = {c.alpha_2: c for c in pycountry.countries}
    first = {code for t in (1, 2) for code in _COUNTRY_TIERS[t].split()}
    territories = set(_TERRITORIES.split())
    rest = sorted(code for code in by_code if code not in first | territories)
    tiers = {t: [by_code[c] for c in _COUNTRY_TIERS[t].split()] for t in (1, 2)}
    tiers[3] = [by_code[c] for c in rest]
    tiers[4] = [by_code[c] for c in sorted(territories & set(by_code))]
    return tiers


def country_label(c: Any) -> str:
    return str(getattr(c, "common_name", None) or c.name)


def country_names(c: Any) -> list[str]:
    names = [c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)]
    if "," in c.name:
        head, tail = c.name.split(",", 1)
        names += [head.strip(), f"{tail.strip()} {head.strip()}"]
    names += _COUNTRY_ALIASES.get(c.alpha_2, [])
    return [n for n in names if n]


# (tier, code kind) choices per level: kinds alpha2, alpha3, numeric, and *_name (code -> name)
_COUNTRY_PLAN: dict[int, list[tuple[int, str]]] = {
    1: [(1, "alpha2"), (1, "alpha2_name")],
    2: [(1, "alpha3"), (2, "alpha2")],
    3: [(2, "alpha3"), (3, "alpha2"), (1, "numeric")],
    4: [(3, "alpha3"), (2, "numeric"), (4, "alpha2")],
    5: [(4, "alpha3"), (4, "numeric"), (3, "numeric")],
}
_CODE_WORD = {"alpha2": "ISO 3166-1 alpha-2 code", "alpha3": "ISO 3166-1 alpha-3 code",
              "numeric": "ISO 3166-1 numeric code"}


def country_fact(c: Any, kind: str) -> Fact:
    label = country_label(c)
    step = f"{label}: alpha-2 {c.alpha_2}, alpha-3 {c.alpha_3}, numeric {c.numeric}."
    key, meta = f"country:{c.alpha_2}", {"alpha_2": c.alpha_2, "kind": kind}
    if kind.endswith("_name"):
        code = c.alpha_2 if kind.startswith("alpha2") else c.alpha_3
        return string_fact(key, f"Which country has the {_CODE_WORD[kind.removesuffix('_name')]} "
                                f"{code}?", label, step, country_names(c), hint="Give its name.",
                           meta=meta)
    if kind == "numeric":
        return int_fact(key, f"What is the {_CODE_WORD[kind]} of {label}?", int(c.numeric), step,
                        meta=meta)
    code = c.alpha_2 if kind == "alpha2" else c.alpha_3
    return Fact(key, f"What is the {_CODE_WORD[kind]} of {label}?", code, step, meta=meta)


@generator("fact_retrieval.general.country_codes", behavior=Behavior.FACT_RETRIEVAL,
           domain=Domain.GENERAL, version=2,
           why="ISO 3166 codes are conventions (DE for Germany, 756 for Switzerland) that cannot "
               "be derived reliably from the names, so the item is recall; level d asks d codes "
               "of rarer countries and territories, numeric codes last.")
def country_codes(rng: random.Random, difficulty: int) -> Draft:
    """ISO 3166-1 alpha-2, alpha-3 and numeric country codes, and the country of a code."""
    return level_draft(rng, difficulty, _country_pool(difficulty))


@cache
def _country_pool(level: int) -> tuple[Fact, ...]:
    return tuple(country_fact(c, kind) for tier, kind in _COUNTRY_PLAN[level]
                 for c in country_tiers()[tier])


# --------------------------------------------------------------------------- currencies

_CURRENCY_TIERS = {
    1: "USD EUR GBP JPY CNY INR CAD AUD CHF RUB MXN BRL KRW SEK NOK",
    2: "ZAR TRY NZD SGD HKD DKK PLN THB IDR ILS EGP SAR AED ARS CZK HUF PHP MYR NGN PKR VND UAH "
       "KES CLP COP",
}
_FUNDS = "BOV CHE CHW CLF COU MXV USN UYI UYW XAD XAG XAU XBA XBB XBC XBD XDR XPD XPT XSU " \
    "XTS XUA XXX"
_CURRENCY_ALIASES = {
    "USD": ["United States dollar", "U.S. dollar", "American dollar", "dollar"],
    "EUR": ["euros"], "GBP": ["pound sterling", "British pound", "pound", "sterling"],
    "JPY": ["Japanese yen"], "CNY": ["renminbi", "Chinese yuan", "yuan"],
    "INR": ["rupee"], "CHF": ["franc"], "RUB": ["rouble", "Russian rouble"],
    "KRW": ["South Korean won", "Korean won"], "BRL": ["real"], "SEK": ["krona"],
    "NOK": ["krone"], "ZAR": ["South African rand"], "ILS": ["shekel", "new shekel",
                                                            "Israeli new shekel"],
    "CZK": ["koruna"], "HUF": ["Hungarian forint"], "PLN": ["Polish zloty", "złoty"],
    "THB": ["Thai baht"], "IDR": ["Indonesian rupiah"], "VND": ["Vietnamese dong", "đồng"],
    "UAH": ["Ukrainian hryvnia", "hryvnya"], "NGN": ["Nigerian naira"], "AED": ["dirham"],
}
_CURRENCY_PLAN: dict[int, list[tuple[int, str]]] = {
    1: [(1, "code"), (1, "name")],
    2: [(2, "code"), (1, "numeric")],
    3: [(3, "code"), (2, "numeric")],
    4: [(4, "code"), (3, "numeric")],
    5: [(5, "code"), (4, "numeric"), (5, "numeric")],
}


@cache
def currency_tiers() -> dict[int, list[Any]]:
    """Tiers 3-5: other national currencies, regional and territorial ones, funds and metals."""
    import pycountry

    by_code = {c.alpha_3: c for c in pycountry.currencies}
    name_count: dict[str, int] = {}
    for c in by_code.values():
        name_count[c.name] = name_count.get(c.name, 0) + 1
    usable = {k for k, c in by_code.items() if name_count[c.name] == 1}
    first = {code for t in (1, 2) for code in _CURRENCY_TIERS[t].split()}
    funds = set(_FUNDS.split()) - first
    tiers = {t: [by_code[c] for c in _CURRENCY_TIERS[t].split()] for t in (1, 2)}
    rest = sorted(usable - first - funds)
    sovereign = {c.alpha_2 for t in (1, 2, 3) for c in country_tiers()[t]}
    tiers[3] = [by_code[c] for c in rest if c[:2] in sovereign]
    tiers[4] = [by_code[c] for c in rest if c[:2] not in sovereign]
    tiers[5] = [by_code[c] for c in sorted(funds & usable)]
    return tiers


def currency_fact(c: Any, kind: str) -> Fact:
    step = f"{c.name}: ISO 4217 {c.alpha_3}, numeric {c.numeric}."
    key, meta = f"currency:{c.alpha_3}", {"alpha_3": c.alpha_3, "kind": kind}
    if kind == "name":
        return string_fact(key, f"Which currency has the ISO 4217 code {c.alpha_3}?", c.name,
                           step, _CURRENCY_ALIASES.get(c.alpha_3, []), hint="Give its name.",
                           meta=meta)
    if kind == "numeric":
        return int_fact(key, f"What is the ISO 4217 numeric code of the currency \"{c.name}\" "
                             f"({c.alpha_3})?", int(c.numeric), step, meta=meta)
    return Fact(key, f"What is the ISO 4217 alphabetic code of the currency \"{c.name}\"?",
                c.alpha_3, step, meta=meta)


@generator("fact_retrieval.general.currency_codes", behavior=Behavior.FACT_RETRIEVAL,
           domain=Domain.GENERAL, version=2,
           why="ISO 4217 codes are assigned conventions that nothing in the prompt determines "
               "(a numeric code is not derivable from the name), so the item is recall; level d "
               "asks d codes, from familiar currencies to funds and precious metals.")
def currency_codes(rng: random.Random, difficulty: int) -> Draft:
    """ISO 4217 currency codes (alphabetic and numeric) and the currency of a code."""
    return level_draft(rng, difficulty, _currency_pool(difficulty))


@cache
def _currency_pool(level: int) -> tuple[Fact, ...]:
    return tuple(currency_fact(c, kind) for tier, kind in _CURRENCY_PLAN[level]
                 for c in currency_tiers()[tier])


# --------------------------------------------------------------------------- languages

_LANGUAGE_TIERS = {
    1: "en fr de es it pt ru zh ja ko ar hi nl sv pl tr el he",
    2: "da fi no cs hu ro uk vi th id ms fa bn ur ta sw bg hr sr sk la",
    3: "ca eu gl ga cy is lt lv et sl mk sq hy ka az kk uz mn ne si km lo my tl am so yo ig zu xh "
       "af eo pa",
    5: "ae pi cu vo ie io ia kw gv ch ho hz ii kj kr kv ng nv oj sg ty ve wa za ik iu",
}
_LANGUAGE_ALIASES = {"el": ["Greek"], "fa": ["Farsi"], "pa": ["Punjabi"], "bn": ["Bangla"],
                     "zh": ["Mandarin Chinese"], "ms": ["Bahasa Melayu"], "he": ["Ivrit"]}
_LANGUAGE_PLAN: dict[int, list[tuple[int, str]]] = {
    1: [(1, "alpha2"), (1, "alpha2_name")],
    2: [(2, "alpha2"), (1, "alpha3")],
    3: [(3, "alpha2"), (2, "alpha3"), (1, "bibliographic")],
    4: [(4, "alpha2"), (3, "alpha3"), (2, "bibliographic")],
    5: [(5, "alpha2"), (5, "alpha3"), (4, "alpha3"), (3, "bibliographic")],
}


def language_label(lang: Any) -> str:
    return str(getattr(lang, "common_name", None) or lang.name.split(" (")[0])


@cache
def language_tiers() -> dict[int, list[Any]]:
    import pycountry

    by_code = {lang.alpha_2: lang for lang in pycountry.languages if hasattr(lang, "alpha_2")}
    listed = {code for text in _LANGUAGE_TIERS.values() for code in text.split()}
    tiers = {t: [by_code[c] for c in text.split()] for t, text in _LANGUAGE_TIERS.items()}
    labels = [language_label(lang) for lang in by_code.values()]
    tiers[4] = [by_code[c] for c in sorted(by_code) if c not in listed
                and labels.count(language_label(by_code[c])) == 1]
    return tiers


def language_fact(lang: Any, kind: str) -> Fact:
    label = language_label(lang)
    step = (f"{label}: ISO 639-1 {lang.alpha_2}, ISO 639-3 {lang.alpha_3}"
            + (f", ISO 639-2/B {lang.bibliographic}." if hasattr(lang, "bibliographic") else "."))
    key, meta = f"language:{lang.alpha_2}", {"alpha_2": lang.alpha_2, "kind": kind}
    if kind == "alpha2_name":
        names = [lang.name, *_LANGUAGE_ALIASES.get(lang.alpha_2, [])]
        return string_fact(key, f"Which language has the ISO 639-1 code {lang.alpha_2}?", label,
                           step, names, hint="Give its name.", meta=meta)
    code, word = {"alpha2": (lang.alpha_2, "ISO 639-1 two-letter code"),
                  "alpha3": (lang.alpha_3, "ISO 639-3 three-letter code"),
                  "bibliographic": (getattr(lang, "bibliographic", ""),
                                    "ISO 639-2/B (bibliographic) three-letter code")}[kind]
    return Fact(key, f"What is the {word} of the {label} language?", code, step, meta=meta)


@generator("fact_retrieval.general.language_codes", behavior=Behavior.FACT_RETRIEVAL,
           domain=Domain.GENERAL, version=2,
           why="ISO 639 codes are conventions (de for German, eus for Basque) that the prompt "
               "gives no way to derive, so the item is recall; level d asks d codes, from major "
               "languages to rare and historical ones.")
def language_codes(rng: random.Random, difficulty: int) -> Draft:
    """ISO 639-1 two-letter, ISO 639-3 and ISO 639-2/B codes of languages, and code to name."""
    return level_draft(rng, difficulty, _language_pool(difficulty))


@cache
def _language_pool(level: int) -> tuple[Fact, ...]:
    return tuple(language_fact(lang, kind) for tier, kind in _LANGUAGE_PLAN[level]
                 for lang in language_tiers()[tier]
                 if kind != "bibliographic" or hasattr(lang, "bibliographic"))
