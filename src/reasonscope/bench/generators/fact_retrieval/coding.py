"""fact_retrieval/coding families: standard-library modules, exception hierarchy, HTTP statuses.

Facts are read from Python itself (class `__bases__` and `__mro__`, `http.HTTPStatus`) or from a
curated list that tests verify by introspection, so answers match the interpreter. Difficulty is
obscurity and the number of facts: one everyday name (`deque`, `KeyError`, 404) at level 1, five
rare ones (`sqlite3.IntegrityError`, 510) at level 5. Identifiers compare case-sensitively.
"""

from __future__ import annotations

import builtins
import importlib
import random
from functools import cache
from http import HTTPStatus
from typing import Any

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.fact_retrieval.common import (
    FACTS_UNIT,
    Fact,
    int_fact,
    level_draft,
    load_facts,
    pick,
    string_fact,
)
from reasonscope.taxonomy import AnswerType, Behavior, Domain

# --------------------------------------------------------------------------- module of a name


IDENTIFIER_NOTE = "Write names exactly as in code (case matters)."


def module_fact(row: dict[str, Any]) -> Fact:
    return Fact(row["name"], f"Which Python standard-library module provides `{row['name']}`?",
                row["module"], f"`{row['name']}` is imported with `from {row['module']} import "
                f"{row['name']}`.", hint="Give the module name as you would import it (for "
                "example os.path).", case_sensitive=True, meta={"name": row["name"]})


@generator("fact_retrieval.coding.stdlib_module", behavior=Behavior.FACT_RETRIEVAL,
           domain=Domain.CODING, version=2,
           why="Each name lives in exactly one standard-library module (verified by "
               "introspection) and no code is given to read, so the item is recall of the "
               "library's layout; level d asks d names of rarer tiers.")
def stdlib_module(rng: random.Random, difficulty: int) -> Draft:
    """Which standard-library module provides a given function, class or constant."""
    pool = tuple(module_fact(r) for r in load_facts("stdlib_names.json")
                 if r["tier"] == difficulty)
    return level_draft(rng, difficulty, pool,
                       note="Give module names as you would import them (for example os.path).",
                       case_note=IDENTIFIER_NOTE)


# --------------------------------------------------------------------------- exception hierarchy

_EXCEPTION_TIERS = {
    1: "ZeroDivisionError KeyError IndexError ValueError TypeError FileNotFoundError NameError "
       "AttributeError ImportError IndentationError KeyboardInterrupt StopIteration RuntimeError "
       "OverflowError RecursionError Exception",
    2: "ModuleNotFoundError NotImplementedError PermissionError TimeoutError ConnectionError "
       "UnicodeDecodeError UnicodeEncodeError AssertionError LookupError ArithmeticError OSError "
       "MemoryError EOFError FloatingPointError UnboundLocalError SystemExit SyntaxError "
       "UnicodeError Warning",
    3: "BrokenPipeError ConnectionRefusedError ConnectionResetError ConnectionAbortedError "
       "IsADirectoryError NotADirectoryError TabError GeneratorExit BufferError ReferenceError "
       "StopAsyncIteration UnicodeTranslateError ChildProcessError ProcessLookupError "
       "FileExistsError InterruptedError BlockingIOError DeprecationWarning UserWarning "
       "SystemError json.JSONDecodeError",
    4: "PendingDeprecationWarning RuntimeWarning SyntaxWarning FutureWarning ImportWarning "
       "UnicodeWarning BytesWarning ResourceWarning subprocess.CalledProcessError "
       "subprocess.TimeoutExpired asyncio.CancelledError zipfile.BadZipFile shutil.SameFileError "
       "socket.gaierror binascii.Error struct.error BaseExceptionGroup",
    5: "EncodingWarning configparser.NoSectionError configparser.DuplicateSectionError "
       "sqlite3.IntegrityError sqlite3.OperationalError sqlite3.DatabaseError tarfile.ReadError "
       "pickle.UnpicklingError decimal.InvalidOperation decimal.DecimalException "
       "email.errors.HeaderParseError http.client.BadStatusLine http.client.IncompleteRead "
       "smtplib.SMTPAuthenticationError asyncio.IncompleteReadError urllib.error.URLError "
       "shutil.Error",
}
_CONTRAST = ("Exception", "ValueError", "LookupError", "OSError", "ArithmeticError",
             "RuntimeError", "TypeError", "ImportError", "ConnectionError", "Warning",
             "UnicodeError", "NameError", "SyntaxError")


def _resolve(path: str) -> type:
    module, _, name = path.rpartition(".")
    obj = getattr(importlib.import_module(module) if module else builtins, name)
    assert isinstance(obj, type)
    return obj


def public_name(cls: type, via: str) -> str:
    """How a class is written in code: bare for builtins, else through the module `via`."""
    if getattr(builtins, cls.__name__, None) is cls:
        return cls.__name__
    module = importlib.import_module(via)
    if getattr(module, cls.__name__, None) is cls:
        return f"{via}.{cls.__name__}"
    raise LookupError(f"{cls!r} is not reachable as {via}.{cls.__name__}")


@cache
def exception_chain(path: str) -> tuple[str, ...]:
    """The class's MRO as public names, from the class itself to `object`."""
    cls = _resolve(path)
    via = path.rpartition(".")[0]
    if len(cls.__bases__) != 1:
        raise ValueError(f"{path} has several base classes")
    return tuple(public_name(c, via) for c in cls.__mro__)


def _bare(name: str) -> list[str]:
    return [name.rpartition(".")[2]] if "." in name else []


_QUALIFIED = "builtins bare, others with their module, as in json.JSONDecodeError"


def exception_facts(path: str) -> list[Fact]:
    chain = exception_chain(path)
    step = f"{path}'s method resolution order is {' -> '.join(chain)}."
    meta = {"exception": path}
    return [Fact(path, f"In Python 3, what is the direct base class of {path}?", chain[1], step,
                 hint=f"Name it as written in code ({_QUALIFIED}).", aliases=tuple(_bare(chain[1])),
                 case_sensitive=True, meta={**meta, "kind": "base"})]


def _subclass_draft(rng: random.Random, path: str) -> Draft:
    chain = exception_chain(path)
    ancestors = [c for c in chain[1:-1] if c != "BaseException" or len(chain) == 3]
    if rng.random() < 0.5 and ancestors:
        other, truth = pick(rng, ancestors), True
    else:
        other, truth = pick(rng, [c for c in _CONTRAST if c not in chain]), False
    return Draft(prompt=f"In Python 3, is {path} a subclass of {other}? Answer True or False.",
                 answer=repr(truth), answer_type=AnswerType.PYTHON,
                 steps=(f"{path}'s method resolution order is {' -> '.join(chain)}.",
                        f"{other} is {'' if truth else 'not '}in it, so {truth}."),
                 meta={"facts": [f"{path}<{other}"], "exception": path, "kind": "subclass",
                       "other": other}, work=1,
                 work_unit=FACTS_UNIT)


@generator("fact_retrieval.coding.exception_hierarchy", behavior=Behavior.FACT_RETRIEVAL,
           domain=Domain.CODING, version=2,
           why="The class hierarchy is a documented fact of the language and no code is shown "
               "to run, so the item is recall (read from __mro__ at generation time); level d "
               "asks the bases of d exceptions of rarer tiers.")
def exception_hierarchy(rng: random.Random, difficulty: int) -> Draft:
    """Direct base classes of built-in and standard-library exceptions (or a subclass check)."""
    paths = _EXCEPTION_TIERS[difficulty].split()
    if difficulty == 1 and rng.random() < 0.4:
        return _subclass_draft(rng, pick(rng, paths))
    pool = tuple(f for p in paths for f in exception_facts(p))
    return level_draft(rng, difficulty, pool, note=f"Name each base class as written in code "
                       f"({_QUALIFIED}).", case_note=IDENTIFIER_NOTE)


# --------------------------------------------------------------------------- HTTP status codes

_HTTP_TIERS = {
    1: (200, 201, 204, 301, 302, 304, 400, 401, 403, 404, 500, 503),
    2: (202, 206, 303, 307, 405, 408, 409, 410, 413, 415, 429, 502, 504),
    3: (100, 101, 203, 205, 300, 308, 406, 411, 412, 414, 416, 417, 418, 422, 501, 505),
    4: (102, 103, 207, 208, 226, 305, 407, 421, 423, 424, 425, 426, 428, 431, 451),
    5: (506, 507, 508, 510, 511),
}
# (tier, question kind or "" for any kind) per level: enum member names of mid-tier codes are
# as obscure as the phrases of the rarest codes
_HTTP_PLAN: dict[int, list[tuple[int, str]]] = {
    1: [(1, "")], 2: [(2, "")], 3: [(3, "")], 4: [(4, "")],
    5: [(5, ""), (4, "member"), (3, "member")],
}
# Phrases that changed between Python versions (RFC 9110 names first); keeps items identical
# whichever interpreter generates them.
_RENAMED = {413: ("Content Too Large", "CONTENT_TOO_LARGE", "Request Entity Too Large",
                  "REQUEST_ENTITY_TOO_LARGE", "Payload Too Large"),
            414: ("URI Too Long", "URI_TOO_LONG", "Request-URI Too Long", "REQUEST_URI_TOO_LONG"),
            416: ("Range Not Satisfiable", "RANGE_NOT_SATISFIABLE",
                  "Requested Range Not Satisfiable", "REQUESTED_RANGE_NOT_SATISFIABLE"),
            422: ("Unprocessable Content", "UNPROCESSABLE_CONTENT", "Unprocessable Entity",
                  "UNPROCESSABLE_ENTITY")}


def status_names(code: int) -> tuple[str, str, list[str], list[str]]:
    """(phrase, member name, other phrases, other member names) for a status code."""
    if code in _RENAMED:
        phrase, member, old_phrase, old_member, *more = _RENAMED[code]
        return phrase, member, [old_phrase, *more], [old_member]
    status = HTTPStatus(code)
    return status.phrase, status.name, [], []


def status_facts(code: int) -> list[Fact]:
    phrase, member, old_phrases, old_members = status_names(code)
    step = f"HTTP {code} is '{phrase}' (http.HTTPStatus.{member})."
    meta = {"code": code}
    key = f"HTTP{code}"
    return [
        string_fact(key, f"What is the reason phrase of HTTP status code {code}?", phrase, step,
                    old_phrases, listable=not old_phrases and "'" not in phrase,
                    meta={**meta, "kind": "phrase"}),
        int_fact(key, f"Which HTTP status code has the reason phrase \"{phrase}\"?", code, step,
                 meta={**meta, "kind": "code"}),
        Fact(key, f"What is the name of the http.HTTPStatus member for status code {code}?",
             member, step, hint="Give it in upper case, e.g. OK.", aliases=tuple(old_members),
             case_sensitive=True, listable=not old_members, meta={**meta, "kind": "member"}),
    ]


@generator("fact_retrieval.coding.http_status", behavior=Behavior.FACT_RETRIEVAL,
           domain=Domain.CODING, version=2,
           why="Status codes, reason phrases and http.HTTPStatus member names are protocol and "
               "library conventions that nothing in the prompt determines, so the item is "
               "recall; level d asks d codes of rarer tiers.")
def http_status(rng: random.Random, difficulty: int) -> Draft:
    """Reason phrase or `http.HTTPStatus` member of HTTP status codes, or the code of a phrase."""
    pool = tuple(f for tier, kind in _HTTP_PLAN[difficulty] for code in _HTTP_TIERS[tier]
                 for f in status_facts(code) if not kind or f.meta["kind"] == kind)
    return level_draft(rng, difficulty, pool, case_note="Give member names in upper case, "
                       "exactly as in code.")
