"""Command-line options generated from pydantic models.

The models (GenerationConfig, Selection, SFTConfig, GRPOConfig) are where defaults, bounds and
descriptions live; a command lists which models it takes and gets one `--field-name` option per
field, with the field's description as help and its default shown. Values not given on the
command line are left out, so the model's default (or a config file) applies, and validation
is the model's own: the CLI cannot drift from the library.
"""

from __future__ import annotations

import functools
import inspect
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import typer
from pydantic import BaseModel
from pydantic.fields import FieldInfo


@dataclass(frozen=True)
class ModelOptions:
    """Which fields of `model` become options; the command receives them as a dict in `dest`."""

    model: type[BaseModel]
    dest: str
    exclude: Sequence[str] = ()
    include: Sequence[str] | None = None
    aliases: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """Extra flag spellings per field, e.g. {"learning_rate": ["--lr"]}."""
    help: Mapping[str, str] = field(default_factory=dict)
    repeatable: Sequence[str] = ()
    """Tuple fields given by repeating the flag (values may hold commas) instead of a comma
    list."""
    panel: str | None = None


def _unwrap_optional(tp: Any) -> Any:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _cli_type(tp: Any) -> tuple[Any, str, bool] | None:
    """(python type for typer, note for the help, is a comma list) or None when the field
    is not expressible as one flag (it stays config-file only)."""
    tp = _unwrap_optional(tp)
    origin = typing.get_origin(tp)
    if origin is Literal:
        return str, "one of " + " | ".join(str(a) for a in typing.get_args(tp)), False
    if origin is tuple:
        return str, "comma-separated", True
    if tp in (bool, int, float, str):
        return tp, "", False
    return None


def _describe(info: FieldInfo) -> str:
    return " ".join((info.description or "").split())


def _default_text(info: FieldInfo) -> str:
    if info.is_required():
        return "required"
    value = info.get_default(call_default_factory=True)
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value) or "none"
    if isinstance(value, str) and len(value) > 40:
        return "see config"
    return "none" if value is None else str(value)


def _parameters(spec: ModelOptions) -> list[tuple[str, str, inspect.Parameter, bool]]:
    """(option parameter name, model field, parameter, comma list) per generated option."""
    out = []
    for name, info in spec.model.model_fields.items():
        if name in spec.exclude or (spec.include is not None and name not in spec.include):
            continue
        kind = _cli_type(info.annotation)
        if kind is None:
            continue
        tp, note, is_list = kind
        if is_list and name in spec.repeatable:
            tp, note, is_list = list[str], "repeatable", False
        flag = "--" + name.replace("_", "-")
        text = spec.help.get(name) or _describe(info)
        text = "; ".join(t for t in (text, note) if t)
        text = f"{text} (default: {_default_text(info)})".strip()
        decls = ([f"{flag}/--no-{name.replace('_', '-')}"] if tp is bool else [flag])
        decls += list(spec.aliases.get(name, ()))
        option = typer.Option(*decls, help=text, show_default=False,
                              rich_help_panel=spec.panel)
        param = f"{spec.dest}__{name}"
        annotation = Annotated[tp | None, option]  # type: ignore[valid-type]
        out.append((param, name, inspect.Parameter(
            param, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation),
            is_list))
    return out


def with_model_options(*specs: ModelOptions) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a command whose parameters include one dict per spec (named `spec.dest`)."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        sig = inspect.signature(fn, eval_str=True)
        generated = [(s, _parameters(s)) for s in specs]
        own = [p for p in sig.parameters.values() if p.name not in {s.dest for s in specs}]
        taken = {p.name for p in own}

        @functools.wraps(fn)
        def wrapper(**kwargs: Any) -> Any:
            for spec, params in generated:
                given: dict[str, Any] = {}
                for param, name, _, is_list in params:
                    value = kwargs.pop(param, None)
                    if value is None or value == []:
                        continue
                    if isinstance(value, list):
                        value = tuple(value)
                    elif is_list:
                        value = tuple(v.strip() for v in str(value).split(",") if v.strip())
                    given[name] = value
                kwargs[spec.dest] = given
            return fn(**kwargs)

        extra = [p for _, params in generated for _, _, p, _ in params if p.name not in taken]
        ordered = sorted(own + extra, key=lambda p: p.kind)
        wrapper.__signature__ = sig.replace(parameters=ordered)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {}
        return wrapper

    return decorate


__all__ = ["ModelOptions", "with_model_options"]
