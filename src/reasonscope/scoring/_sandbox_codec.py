"""Plain data across the sandbox boundary: values in, values out, never objects.

A value crosses as tagged JSON, built from its type's own storage (`int.__index__`,
`dict.items`, ...), never from its methods: an object whose `__eq__` always answers True, or
whose `__repr__` lies, has no encoding, so it cannot stand in for a right answer. Decoding is
strict and bounded (size, depth, node count) and only ever builds builtins.

This file is imported by the parent and prepended to the sandbox child's source (the child has
only the standard library), so it uses nothing else and no `from __future__` import.
"""

import json
from decimal import Decimal
from fractions import Fraction

MAX_NODES = 1_000_000
MAX_DEPTH = 200
MAX_STRING_CHARS = 16 * 1024 * 1024


class CodecError(ValueError):
    """The value is not plain data, or the message is not a well-formed encoding."""


def encode(value: object, budget: int | None = None) -> list[object]:
    """JSON-ready tagged form of `value` (raises CodecError for anything but plain data)."""
    left = [MAX_NODES if budget is None else budget]
    return _enc(value, 0, left)


def _enc(v: object, depth: int, left: list[int]) -> list[object]:
    left[0] -= 1
    if left[0] < 0 or depth > MAX_DEPTH:
        raise CodecError("value too large or too deeply nested")
    if v is None:
        return ["N"]
    if v is True or v is False:
        return ["b", v is True]
    if isinstance(v, int):
        return ["i", format(int.__index__(v), "x")]
    if isinstance(v, float):
        return ["f", float.hex(float.__float__(v))]
    if isinstance(v, str):
        text = str.__str__(v)
        if len(text) > MAX_STRING_CHARS:
            raise CodecError("string too long")
        return ["s", text]
    if isinstance(v, complex):
        c = complex.__complex__(v)
        return ["c", float.hex(c.real), float.hex(c.imag)]
    if isinstance(v, (bytes, bytearray)):
        raw = bytes(memoryview(v))
        if len(raw) > MAX_STRING_CHARS:
            raise CodecError("bytes too long")
        return ["y" if isinstance(v, bytes) else "Y", raw.hex()]
    if isinstance(v, tuple):
        return ["t", [_enc(x, depth + 1, left) for x in tuple.__iter__(v)]]
    if isinstance(v, list):
        return ["l", [_enc(x, depth + 1, left) for x in list.__iter__(v)]]
    if isinstance(v, dict):
        return ["d", [[_enc(k, depth + 1, left), _enc(x, depth + 1, left)]
                      for k, x in dict.items(v)]]
    if isinstance(v, frozenset):
        return ["F", [_enc(x, depth + 1, left) for x in frozenset.__iter__(v)]]
    if isinstance(v, set):
        return ["S", [_enc(x, depth + 1, left) for x in set.__iter__(v)]]
    if type(v) is Fraction:
        return ["q", format(v.numerator, "x"), format(v.denominator, "x")]
    if type(v) is Decimal:
        return ["D", str(v)]
    raise CodecError("a value of type " + type(v).__name__ + " is not plain data")


def dumps(value: object) -> str:
    """One line of ASCII JSON (lone surrogates in strings are escaped, so any str crosses)."""
    return json.dumps(encode(value), separators=(",", ":"))


def decode(data: object) -> object:
    """Builtins from a tagged form (raises CodecError on anything malformed)."""
    left = [MAX_NODES]
    try:
        return _dec(data, 0, left)
    except CodecError:
        raise
    except (ValueError, TypeError, IndexError, KeyError, OverflowError, RecursionError) as exc:
        raise CodecError("malformed value: " + type(exc).__name__) from None


def _dec(node: object, depth: int, left: list[int]) -> object:
    left[0] -= 1
    if left[0] < 0 or depth > MAX_DEPTH or type(node) is not list or not node:
        raise CodecError("malformed value")
    tag = node[0]
    if tag == "N" and len(node) == 1:
        return None
    if tag == "b" and len(node) == 2 and type(node[1]) is bool:
        return node[1]
    if tag == "i" and len(node) == 2 and type(node[1]) is str and len(node[1]) < 100_000:
        return int(node[1], 16)
    if tag == "f" and len(node) == 2 and type(node[1]) is str:
        return float.fromhex(node[1])
    if tag == "s" and len(node) == 2 and type(node[1]) is str:
        return node[1]
    if tag == "c" and len(node) == 3:
        return complex(float.fromhex(node[1]), float.fromhex(node[2]))
    if tag in ("y", "Y") and len(node) == 2 and type(node[1]) is str:
        raw = bytes.fromhex(node[1])
        return raw if tag == "y" else bytearray(raw)
    if tag == "q" and len(node) == 3:
        return Fraction(int(node[1], 16), int(node[2], 16))
    if tag == "D" and len(node) == 2 and type(node[1]) is str and len(node[1]) < 10_000:
        return Decimal(node[1])
    if len(node) != 2 or type(node[1]) is not list:
        raise CodecError("malformed value")
    items = node[1]
    if tag == "l":
        return [_dec(x, depth + 1, left) for x in items]
    if tag == "t":
        return tuple(_dec(x, depth + 1, left) for x in items)
    if tag == "S":
        return {_dec(x, depth + 1, left) for x in items}
    if tag == "F":
        return frozenset(_dec(x, depth + 1, left) for x in items)
    if tag == "d":
        out = {}
        for pair in items:
            if type(pair) is not list or len(pair) != 2:
                raise CodecError("malformed value")
            out[_dec(pair[0], depth + 1, left)] = _dec(pair[1], depth + 1, left)
        return out
    raise CodecError("malformed value")


def loads(text: str | bytes, max_bytes: int) -> object:
    """Decode one JSON message of at most `max_bytes` (any tagged values inside stay tagged)."""
    if len(text) > max_bytes:
        raise CodecError("message too large")
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise CodecError("malformed message: " + type(exc).__name__) from None
