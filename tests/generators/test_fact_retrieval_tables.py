"""Fact-retrieval generators, coding and general cells: answers against the interpreter and
hand tables.

Module names and exception bases are checked against the live interpreter, HTTP phrases against
`http.HTTPStatus` and an RFC table, ISO codes against pycountry and hand tables, Unicode names
against `unicodedata.lookup`, month lengths against `calendar`; each list item is checked fact by
fact (see `_pairs` in test_fact_retrieval).
"""

from __future__ import annotations

import calendar
import importlib
import re
import types
import unicodedata
from collections import Counter
from http import HTTPStatus
from typing import Any

from reasonscope.bench.generators.fact_retrieval.common import load_facts
from reasonscope.taxonomy import AnswerType

from .rs_genkit import search as _search
from .test_fact_retrieval import _accepted, _found, _items, _pairs

# --------------------------------------------------------------------------- coding

_COMPARE_TEXT = (
    "builtins typing cmath numbers operator posixpath os.path secrets multiprocessing asyncio "
    "queue codecs io pickle marshal warnings socket select threading array copy types random "
    "statistics decimal fractions math itertools functools collections collections.abc string re "
    "json csv os sys time datetime calendar shutil glob tempfile pathlib zipfile tarfile gzip bz2 "
    "lzma zlib binascii base64 hashlib hmac uuid struct heapq bisect enum abc contextlib "
    "dataclasses inspect traceback logging argparse subprocess signal urllib.request "
    "urllib.parse http.client html sqlite3 unittest pprint textwrap difflib fnmatch weakref "
    "graphlib concurrent.futures locale platform keyword tokenize ast dis linecache reprlib "
    "copyreg unicodedata quopri colorsys sched selectors mmap pkgutil sysconfig site atexit "
    "faulthandler tracemalloc zoneinfo ipaddress shlex timeit configparser plistlib")


def _defines(module: types.ModuleType, name: str, obj: object) -> bool:
    """Whether `module` offers its own public `name` (not an incidental import of `obj`)."""
    if not hasattr(module, name):
        return False
    if hasattr(module, "__all__"):
        return name in module.__all__
    value = getattr(module, name)
    return not name.startswith("_") and not isinstance(value, types.ModuleType) and value is not obj


def test_stdlib_names_live_in_exactly_one_module() -> None:
    loaded = {}
    for m in _COMPARE_TEXT.split():
        try:
            loaded[m] = importlib.import_module(m)
        except ImportError:
            continue
    rows = load_facts("stdlib_names.json")
    assert Counter(r["tier"] for r in rows)[1] >= 30
    for row in rows:
        obj = getattr(importlib.import_module(row["module"]), row["name"])
        clashes = [m for m, mod in loaded.items()
                   if m != row["module"] and _defines(mod, row["name"], obj)]
        assert not clashes, (row, clashes)
    for item in _items("fact_retrieval.coding.stdlib_module"):
        for question, answer in _pairs(item):
            name = _search(r"provides `(\w+)`", question).group(1)
            assert hasattr(importlib.import_module(answer), name)


_BASES = {"ZeroDivisionError": "ArithmeticError", "KeyError": "LookupError",
          "IndexError": "LookupError", "FileNotFoundError": "OSError",
          "ModuleNotFoundError": "ImportError", "RecursionError": "RuntimeError",
          "NotImplementedError": "RuntimeError", "KeyboardInterrupt": "BaseException",
          "SystemExit": "BaseException", "GeneratorExit": "BaseException",
          "StopIteration": "Exception", "TabError": "IndentationError",
          "IndentationError": "SyntaxError", "UnicodeDecodeError": "UnicodeError",
          "UnicodeError": "ValueError", "BrokenPipeError": "ConnectionError",
          "ConnectionRefusedError": "ConnectionError", "ConnectionError": "OSError",
          "UnboundLocalError": "NameError", "FloatingPointError": "ArithmeticError",
          "DeprecationWarning": "Warning", "Warning": "Exception", "TimeoutError": "OSError",
          "json.JSONDecodeError": "ValueError", "BaseExceptionGroup": "BaseException",
          "subprocess.CalledProcessError": "subprocess.SubprocessError",
          "sqlite3.IntegrityError": "sqlite3.DatabaseError",
          "decimal.DecimalException": "ArithmeticError", "tarfile.ReadError": "tarfile.TarError"}


def _resolve(path: str) -> type:
    module, _, name = path.rpartition(".")
    cls = getattr(importlib.import_module(module or "builtins"), name)
    assert isinstance(cls, type)
    return cls


def test_exception_hierarchy_against_hand_table_and_issubclass() -> None:
    checked = 0
    for item in _items("fact_retrieval.coding.exception_hierarchy", range(60)):
        if item.meta.get("kind") == "subclass":
            cls, other = _resolve(item.meta["exception"]), _resolve(item.meta["other"])
            assert item.answer == repr(issubclass(cls, other)), item.prompt
            continue
        for question, answer in _pairs(item):
            path = _search(r"base class of ([\w.]+)\?", question).group(1)
            assert _resolve(answer) is _resolve(path).__bases__[0]
            if path in _BASES:
                assert answer == _BASES[path]
                checked += 1
    assert checked > 20


_RFC_PHRASES = {200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently",
                302: "Found", 304: "Not Modified", 400: "Bad Request", 401: "Unauthorized",
                403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 409: "Conflict",
                413: "Content Too Large", 414: "URI Too Long", 416: "Range Not Satisfiable",
                418: "I'm a teapot", 422: "Unprocessable Content", 429: "Too Many Requests",
                500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
                504: "Gateway Timeout", 511: "Network Authentication Required"}


def test_http_status_against_rfc_table_and_httpstatus() -> None:
    for item in _items("fact_retrieval.coding.http_status", range(60)):
        for question, answer in _pairs(item):
            if m := re.search(r"phrase \"(.+)\"\?", question):
                code = int(answer)
                assert str(code) not in question
                assert m[1] in {HTTPStatus(code).phrase, _RFC_PHRASES.get(code)}
            elif "reason phrase of" in question:
                code = int(_search(r"status code (\d+)", question).group(1))
                assert answer.casefold() in {HTTPStatus(code).phrase.casefold(),
                                             _RFC_PHRASES.get(code, "").casefold()} | (
                    _accepted(item) if item.answer_type is AnswerType.STRING else set())
            else:
                code = int(_search(r"status code (\d+)", question).group(1))
                names = [answer, *item.meta.get("aliases", [])]
                assert any(getattr(HTTPStatus, n, None) == code for n in names)


# --------------------------------------------------------------------------- general

_COUNTRIES = {"Germany": ("DE", "DEU", 276), "Switzerland": ("CH", "CHE", 756),
              "Spain": ("ES", "ESP", 724), "Japan": ("JP", "JPN", 392),
              "South Africa": ("ZA", "ZAF", 710), "Brazil": ("BR", "BRA", 76),
              "United Kingdom": ("GB", "GBR", 826), "Austria": ("AT", "AUT", 40),
              "Greenland": ("GL", "GRL", 304), "Bouvet Island": ("BV", "BVT", 74),
              "Mexico": ("MX", "MEX", 484), "Iceland": ("IS", "ISL", 352),
              "Kenya": ("KE", "KEN", 404), "Togo": ("TG", "TGO", 768)}


def test_country_codes() -> None:
    import pycountry

    for name, (a2, a3, num) in _COUNTRIES.items():
        c = _found(pycountry.countries.get(alpha_2=a2))
        assert (c.alpha_3, int(c.numeric)) == (a3, num), name
    for item in _items("fact_retrieval.general.country_codes"):
        for question, answer in _pairs(item):
            if m := re.search(r"has the ISO 3166-1 \S+ code (\w+)\?", question):
                assert pycountry.countries.lookup(m[1]).name.casefold() in _accepted(item)
                continue
            m = _search(r"(alpha-2|alpha-3|numeric) code of (.+?)\?", question)
            found = pycountry.countries.lookup(m[2])
            want = {"alpha-2": found.alpha_2, "alpha-3": found.alpha_3,
                    "numeric": str(int(found.numeric))}[m[1]]
            assert answer == want
            if m[2] in _COUNTRIES:
                assert answer in {str(x) for x in _COUNTRIES[m[2]]}


_CURRENCIES = {"USD": 840, "EUR": 978, "GBP": 826, "JPY": 392, "CHF": 756, "CNY": 156,
               "INR": 356, "SEK": 752, "ZAR": 710, "XAU": 959, "XDR": 960, "AUD": 36,
               "XPT": 962, "KYD": 136, "XAF": 950}


def test_currency_codes() -> None:
    import pycountry

    for code, num in _CURRENCIES.items():
        assert int(_found(pycountry.currencies.get(alpha_3=code)).numeric) == num
    for item in _items("fact_retrieval.general.currency_codes"):
        for question, answer in _pairs(item):
            if m := re.search(r"has the ISO 4217 code (\w+)\?", question):
                assert _found(pycountry.currencies.get(alpha_3=m[1])).name.casefold() in \
                    _accepted(item)
            elif "numeric code" in question:
                code = _search(r"\((\w{3})\)\?", question).group(1)
                found = _found(pycountry.currencies.get(numeric=f"{int(answer):03d}"))
                assert found.alpha_3 == code
                assert int(answer) == _CURRENCIES.get(code, int(answer))
            else:
                name = _search(r'currency "(.*)"\?', question).group(1)
                assert [c.alpha_3 for c in pycountry.currencies if c.name == name] == [answer]


_LANGUAGES = {"German": ("de", "deu", "ger"), "French": ("fr", "fra", "fre"),
              "Chinese": ("zh", "zho", "chi"), "English": ("en", "eng", None),
              "Welsh": ("cy", "cym", "wel"), "Dutch": ("nl", "nld", "dut"),
              "Japanese": ("ja", "jpn", None), "Basque": ("eu", "eus", "baq"),
              "Tibetan": ("bo", "bod", "tib")}


def test_language_codes() -> None:
    import pycountry

    for name, (a2, a3, b) in _LANGUAGES.items():
        lang = _found(pycountry.languages.get(alpha_2=a2))
        assert (lang.alpha_3, getattr(lang, "bibliographic", None), lang.name) == (a3, b, name)
    by_label: dict[str, list[Any]] = {}
    for lang in pycountry.languages:
        if hasattr(lang, "alpha_2"):
            for label in {lang.name, getattr(lang, "common_name", None), lang.name.split(" (")[0]}:
                by_label.setdefault(str(label), []).append(lang)
    for item in _items("fact_retrieval.general.language_codes"):
        for question, answer in _pairs(item):
            if m := re.search(r"ISO 639-1 code (\w+)\?", question):
                lang = _found(pycountry.languages.get(alpha_2=m[1]))
                assert lang.name.casefold() in _accepted(item)
                continue
            m = _search(r"the (ISO 639-1|ISO 639-3|ISO 639-2/B) .*code of the (.+) language\?",
                        question)
            matches = by_label[m[2]]
            assert len(matches) == 1, m[2]
            lang = matches[0]
            assert answer == {"ISO 639-1": lang.alpha_2, "ISO 639-3": lang.alpha_3,
                              "ISO 639-2/B": getattr(lang, "bibliographic", "")}[m[1]]
            assert answer in _LANGUAGES.get(m[2], (answer,))


_UNICODE = {"A": "LATIN CAPITAL LETTER A", "@": "COMMERCIAL AT", "€": "EURO SIGN",
            "©": "COPYRIGHT SIGN", "ß": "LATIN SMALL LETTER SHARP S",
            "α": "GREEK SMALL LETTER ALPHA", "→": "RIGHTWARDS ARROW", "∞": "INFINITY",
            "☃": "SNOWMAN", "…": "HORIZONTAL ELLIPSIS", "¿": "INVERTED QUESTION MARK",
            "~": "TILDE", "‰": "PER MILLE SIGN"}


def test_unicode_names_by_lookup() -> None:
    for ch, name in _UNICODE.items():
        assert unicodedata.name(ch) == name
    for item in _items("fact_retrieval.general.unicode_names"):
        for question, answer in _pairs(item):
            if m := re.search(r"name of the character \[(.)\]", question):
                assert unicodedata.lookup(answer) == m[1]
                assert _UNICODE.get(m[1], answer) == answer
            elif m := re.search(r"code point U\+([0-9A-F]{4,5})\?", question):
                assert unicodedata.lookup(answer) == chr(int(m[1], 16))
            else:
                assert re.fullmatch(r"U\+[0-9A-F]{4}", answer)
                ch = chr(int(answer[2:], 16))
                if m := re.search(r"character named (.+)\?", question):
                    assert unicodedata.lookup(m[1]) == ch
                else:
                    assert _search(r"\[(.)\]", question).group(1) == ch
            assert "BRAILLE" not in answer and "CJK" not in answer


_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_DATES = {"Christmas Day": (12, 25), "Halloween": (10, 31), "Bastille Day": (7, 14),
          "Saint Patrick's Day": (3, 17), "Anzac Day": (4, 25), "Canada Day": (7, 1),
          "Independence Day in the United States": (7, 4), "German Unity Day": (10, 3),
          "Swiss National Day": (8, 1), "Constitution Day in Norway": (5, 17),
          "Independence Day in Mexico": (9, 16), "Independence Day in India": (8, 15)}


def test_calendar_facts() -> None:
    data = load_facts("calendar_facts.json")
    names = [o["name"] for o in data["observances"]]
    assert len(names) == len(set(names))
    for o in data["observances"]:
        assert 1 <= o["day"] <= calendar.monthrange(2024, o["month"])[1], o
        short = o["name"].split(",")[0]
        assert _DATES.get(short, (o["month"], o["day"])) == (o["month"], o["day"]), o
    assert data["calendars"]["Islamic (Hijri)"]["months"][8] == "Ramadan"
    assert data["chinese_zodiac"]["animals"][:3] == ["Rat", "Ox", "Tiger"]
    by_name = {o["name"]: o for o in data["observances"]}
    for item in _items("fact_retrieval.general.calendar_facts"):
        for question, answer in _pairs(item):
            if m := re.search(r"How many days does (\w+) have\?", question):
                assert int(answer) == calendar.monthrange(2023, _MONTHS.index(m[1]) + 1)[1]
            elif m := re.search(r"(?:On which day of \w+|In which month|On what date) is (.+)\?",
                                question):
                o = by_name[m[1]]
                month = _MONTHS[o["month"] - 1]
                assert answer in {str(o["day"]), month, f"{o['day']} {month}"}
            elif m := re.search(r"In the (.+) calendar, .* month (.+)\?", question):
                assert data["calendars"][m[1]]["months"][int(answer) - 1] == m[2]
            else:
                animal = _search(r"position \(1 to 12\) of the (\w+)\?", question).group(1)
                assert data["chinese_zodiac"]["animals"][int(answer) - 1] == animal
