"""Field mappings: how a foreign record (a CSV row, a Parquet row, another JSONL layout) becomes
a pool row.

The prompt is a template with `{field}` and `{meta.key}` placeholders (`{{` and `}}` are literal
braces), so a user can assemble question, context and options without writing code. A mapping
comes from command-line flags or a small TOML file:

    prompt = "{question}\n\nContext: {meta.context}"
    answer = "label"
    id = "uid"
    license = "CC BY 4.0"        # a literal; or license_field = "license"
    answer_type = "choice"       # optional; inferred when absent
    meta = ["context", "topic"]  # optional; default: every field not used above
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reasonscope.taxonomy import AnswerType

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
MAPPING_KEYS = ("prompt", "answer", "id", "source", "license", "license_field", "answer_type",
                "meta")


class MappingError(ValueError):
    """A mapping that cannot be applied: bad template, unknown key, or a record without the
    field a placeholder names."""


@dataclass(frozen=True)
class FieldMapping:
    prompt: str = "{question}"
    answer: str = "answer"
    id: str | None = None
    source: str | None = None
    license: str | None = None
    license_field: str | None = None
    answer_type: AnswerType | None = None
    meta: tuple[str, ...] | None = None
    placeholders: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "placeholders", template_fields(self.prompt))

    def used_fields(self) -> set[str]:
        used = {p.split(".", 1)[1] if p.startswith("meta.") else p for p in self.placeholders}
        used.add(self.answer)
        for name in (self.id, self.license_field):
            if name:
                used.add(name)
        return used


def template_fields(template: str) -> tuple[str, ...]:
    names: list[str] = []
    for m in _PLACEHOLDER.finditer(template):
        if m.group(0) in ("{{", "}}"):
            continue
        name = m.group(1).strip()
        if not name or not re.fullmatch(r"[\w.\- ]+", name):
            raise MappingError(f"bad placeholder {m.group(0)!r} in prompt template {template!r}")
        names.append(name)
    stray = _PLACEHOLDER.sub("", template)
    if "{" in stray or "}" in stray:
        raise MappingError(f"unbalanced brace in prompt template {template!r} (write {{{{ or "
                           "}} for a literal brace)")
    if not names:
        raise MappingError(f"prompt template {template!r} has no {{field}} placeholder")
    return tuple(names)


def lookup(record: Mapping[str, Any], name: str) -> Any:
    """`field` or `meta.key` (dots walk nested objects; a flat column named `meta.key` wins)."""
    if name in record:
        return record[name]
    value: Any = record
    for part in name.split("."):
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        else:
            raise KeyError(name)
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return "\n".join(_text(v) for v in value)
    return str(value)


def render_prompt(template: str, record: Mapping[str, Any]) -> str:
    def substitute(m: re.Match[str]) -> str:
        if m.group(0) == "{{":
            return "{"
        if m.group(0) == "}}":
            return "}"
        name = m.group(1).strip()
        try:
            return _text(lookup(record, name))
        except KeyError:
            raise MappingError(f"no field '{name}' (the prompt template names it; fields "
                               f"here: {', '.join(sorted(record))})") from None

    return _PLACEHOLDER.sub(substitute, template)


def mapping_from_dict(data: Mapping[str, Any], origin: str = "mapping") -> FieldMapping:
    unknown = sorted(set(data) - set(MAPPING_KEYS))
    if unknown:
        raise MappingError(f"{origin}: unknown key(s) {', '.join(unknown)}; known: "
                           f"{', '.join(MAPPING_KEYS)}")
    for key, value in data.items():
        if key == "meta":
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise MappingError(f"{origin}: 'meta' must be a list of field names")
        elif not isinstance(value, str):
            raise MappingError(f"{origin}: '{key}' must be a string")
    answer_type = None
    if data.get("answer_type"):
        try:
            answer_type = AnswerType(data["answer_type"])
        except ValueError:
            raise MappingError(f"{origin}: unknown answer_type {data['answer_type']!r}; "
                               f"one of {', '.join(t.value for t in AnswerType)}") from None
    try:
        return FieldMapping(
            prompt=data.get("prompt", "{question}"), answer=data.get("answer", "answer"),
            id=data.get("id"), source=data.get("source"), license=data.get("license"),
            license_field=data.get("license_field"), answer_type=answer_type,
            meta=tuple(data["meta"]) if "meta" in data else None)
    except MappingError as exc:
        raise MappingError(f"{origin}: {exc}") from None


def load_mapping(path: Path | str) -> FieldMapping:
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MappingError(f"{p}: cannot read mapping ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{p}: invalid TOML: {exc}") from None
    return mapping_from_dict(data, str(p))
