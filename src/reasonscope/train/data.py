"""Training examples: the generated math set, a user's JSONL, and the rows TRL consumes.

Every example keeps the `Item` it was made from, so GRPO can score rollouts with the evaluation
scorer itself (same answer, same answer type, same tolerance). Generated sets come from the
item generators on training seeds and are checked against the built-in evaluation suites
before they are written: a training file that contains an evaluation prompt is never produced.
A user's file is validated completely before training starts; every bad line is reported by
file, line and field.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reasonscope.bench.contamination import ContaminationReport, check_contamination
from reasonscope.bench.suites import BUILTIN_SUITES
from reasonscope.genconfig import DEFAULT_INSTRUCTION, GenerationConfig, build_user_prompt
from reasonscope.items import ITEM_FIELDS, Item, ItemFileError
from reasonscope.scoring import extract_boxed
from reasonscope.taxonomy import AnswerType, Behavior, Domain, parse_behavior
from reasonscope.train.traces import CotStyle, TraceError, trace, trace_from_solution

log = logging.getLogger(__name__)

CHECK_SUITES = tuple(BUILTIN_SUITES)
MAX_REPORTED = 20


@dataclass(frozen=True)
class TrainExample:
    """One training problem: the user prompt, its target trace (SFT) and its item (answer)."""

    prompt: str
    completion: str | None
    item: Item | None
    cot: str = "short"


@dataclass(frozen=True)
class ImportFields:
    """Where a user's JSONL keeps each part of a problem."""

    question: str = "question"
    answer: str | None = "answer"
    solution: str | None = "solution"
    id: str | None = None
    answer_type: str = "expression"


@dataclass
class BuildReport:
    generated: int = 0
    without_steps: int = 0
    contamination: dict[str, Any] = field(default_factory=dict)


class ContaminatedDataError(ValueError):
    """The training text contains an evaluation prompt."""


def user_prompt(question: str, instruction: str = DEFAULT_INSTRUCTION) -> str:
    """The same user text evaluation sends, so training and evaluation prompts match."""
    return build_user_prompt(question, GenerationConfig(instruction=instruction))


# --- the generated math set -------------------------------------------------------------------


def generated_math_examples(
    *, style: CotStyle | None, per_cell: int = 200, difficulties: Sequence[int] = (1, 2, 3, 4, 5),
    seed: int = 0, behaviors: Sequence[str] | None = None,
    instruction: str = DEFAULT_INSTRUCTION,
) -> tuple[list[TrainExample], BuildReport]:
    """Math items from the generators on training seeds, each with a trace in `style` (or
    none, for GRPO, which only needs the question and its answer)."""
    from reasonscope.bench.suites import training_items

    chosen = tuple(parse_behavior(b) for b in behaviors) if behaviors else tuple(Behavior)
    items = training_items(behaviors=chosen, domains=(Domain.MATH,), per_cell=per_cell,
                           difficulties=tuple(difficulties), seed=seed)
    report = BuildReport()
    out: list[TrainExample] = []
    for item in items:
        completion = None
        if style is not None:
            try:
                completion = trace(item, style)
            except TraceError:
                report.without_steps += 1
                continue
        out.append(TrainExample(user_prompt(item.prompt, instruction), completion, item,
                                style or "none"))
    report.generated = len(out)
    if report.without_steps:
        log.warning("%d generated items have no worked solution and were left out",
                    report.without_steps)
    return out, report


def contamination_summary(examples: Sequence[TrainExample],
                          suites: Sequence[str] = CHECK_SUITES) -> dict[str, Any]:
    """Check training text against each packaged built-in suite; raise on any exact hit."""
    from reasonscope.bench.suites import load_suite

    texts = [t for ex in examples for t in (ex.prompt, ex.completion or "")]
    summary: dict[str, Any] = {}
    for name in suites:
        try:
            suite = load_suite(name)
        except FileNotFoundError:
            log.warning("suite %s is not packaged: training data not checked against it", name)
            summary[name] = {"checked": False, "reason": "suite not packaged"}
            continue
        report: ContaminationReport = check_contamination(suite.items, texts)
        summary[name] = {"checked": True, "clean": report.clean,
                         "exact_hits": len(report.exact_hits), "n": report.n,
                         "mean_overlap": report.mean_overlap, "max_overlap": report.max_overlap}
        if not report.clean:
            raise ContaminatedDataError(
                f"training data contains {len(report.exact_hits)} prompt(s) of {name} "
                f"(first: {report.exact_hits[0]}); refusing to write it")
    return summary


# --- JSONL in and out -------------------------------------------------------------------------


def example_row(ex: TrainExample) -> dict[str, Any]:
    row: dict[str, Any] = {"prompt": ex.prompt, "completion": ex.completion, "cot": ex.cot}
    if ex.completion is not None:
        row["messages"] = [{"role": "user", "content": ex.prompt},
                           {"role": "assistant", "content": ex.completion}]
    if ex.item is not None:
        row.update(item_id=ex.item.id, answer=ex.item.answer,
                   answer_type=ex.item.answer_type.value,
                   item=ex.item.model_dump(mode="json"))
    return row


def write_examples(path: Path, examples: Iterable[TrainExample]) -> Path:
    from reasonscope.fsutil import atomic_write_text

    text = "".join(json.dumps(example_row(ex), ensure_ascii=False, sort_keys=True) + "\n"
                   for ex in examples)
    return atomic_write_text(Path(path), text)


class _Errors:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: list[ItemFileError] = []

    def add(self, line: int, field: str | None, reason: str) -> None:
        self.items.append(ItemFileError(self.path, reason, line, field))

    def raise_if_any(self, skip: bool) -> None:
        if not self.items:
            return
        shown = "\n  ".join(str(e) for e in self.items[:MAX_REPORTED])
        more = len(self.items) - MAX_REPORTED
        tail = f"\n  ... and {more} more" if more > 0 else ""
        if skip:
            log.warning("skipped %d bad line(s):\n  %s%s", len(self.items), shown, tail)
            return
        raise ItemFileError(self.path, f"{len(self.items)} bad line(s):\n  {shown}{tail}",
                            self.items[0].line, self.items[0].field)


def _text(row: dict[str, Any], key: str) -> str | None:
    """A text field as given: a number or list where text belongs is an error, not cast (a
    completion `42` is almost always a broken export, not the intended target text)."""
    value = row.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"field {key!r}: expected a string, got {type(value).__name__} "
                        f"{json.dumps(value)[:40]}")
    return value


def _row_format(row: dict[str, Any]) -> str:
    if all(k in row for k in ("id", "behavior", "domain", "answer_type", "source", "prompt")):
        return "items"
    if "prompt" in row and ("completion" in row or "item" in row or "answer" in row):
        return "prompt"
    return "import"


def _from_item_row(row: dict[str, Any], style: CotStyle, need_completion: bool,
                   instruction: str) -> TrainExample:
    item = Item.model_validate({k: v for k, v in row.items() if k in ITEM_FIELDS})
    completion = trace(item, style) if need_completion else None
    return TrainExample(user_prompt(item.prompt, instruction), completion, item, style)


def _from_prompt_row(row: dict[str, Any], where: str, fields: ImportFields) -> TrainExample:
    prompt = _text(row, "prompt")
    if not prompt or not prompt.strip():
        raise KeyError("prompt")
    item: Item | None = None
    if isinstance(row.get("item"), dict):
        item = Item.model_validate(row["item"])
    elif row.get("answer") is not None:
        item = _import_item(prompt, str(row["answer"]),
                            str(row.get("answer_type") or fields.answer_type), where)
    return TrainExample(prompt, _text(row, "completion"), item, str(row.get("cot", "given")))


def _import_item(question: str, answer: str, answer_type: str, source: str,
                 item_id: str | None = None) -> Item:
    item = Item.create(behavior=Behavior.CALCULATION, domain=Domain.MATH, difficulty=1,
                       prompt=question, answer=answer, answer_type=AnswerType(answer_type),
                       source=source, meta={"imported": True})
    return item.model_copy(update={"id": item_id}) if item_id else item


def _from_import_row(row: dict[str, Any], where: str, fields: ImportFields, style: CotStyle,
                     need_completion: bool, instruction: str,
                     errors: _Errors, line: int) -> TrainExample | None:
    def bad(key: str, reason: str) -> TrainExample | None:
        errors.add(line, key, reason)
        return None

    try:
        question = _text(row, fields.question)
    except TypeError as exc:
        return bad(fields.question, str(exc))
    if not question or not question.strip():
        return bad(fields.question, "missing or empty (the question text)")
    solution = None
    if fields.solution:
        try:
            solution = _text(row, fields.solution)
        except TypeError as exc:
            return bad(fields.solution, str(exc))
    answer = None
    if fields.answer:
        value = row.get(fields.answer)
        if isinstance(value, int | float) and not isinstance(value, bool):
            answer = str(value)  # numeric gold answers (GSM8K-style exports) are common
        else:
            try:
                answer = _text(row, fields.answer)
            except TypeError as exc:
                return bad(fields.answer, str(exc))
    if not (answer and answer.strip()):
        answer = extract_boxed(solution) if solution else None
    if not answer:
        where_from = f"'{fields.answer}'" if fields.answer else "answer"
        sol = f" and field '{fields.solution}' has no \\boxed{{}} answer" if fields.solution else ""
        return bad(fields.answer or fields.solution or "answer",
                   f"no answer: field {where_from} missing or empty{sol}")
    if need_completion and not solution:
        return bad(fields.solution or "solution",
                   "missing: SFT needs a worked solution for every problem")
    item_id = None
    if fields.id and row.get(fields.id) is not None:
        item_id = str(row[fields.id])
    try:
        item = _import_item(question, answer, fields.answer_type, where, item_id)
    except ValueError as exc:
        return bad(fields.answer or "answer", str(exc).splitlines()[0])
    completion = trace_from_solution(solution, answer, style) if solution else None
    return TrainExample(user_prompt(question, instruction), completion, item, style)


def read_examples(
    path: Path, *, style: CotStyle = "short", need_completion: bool = True,
    need_answer: bool = False, fields: ImportFields | None = None,
    instruction: str = DEFAULT_INSTRUCTION, skip_bad_lines: bool = False,
) -> list[TrainExample]:
    """Examples from a JSONL file in any of three shapes, detected from the first row.

    - item rows (the suite format with `meta.steps`): traces are built in `style`;
    - prompt rows (`prompt` + `completion`, optionally `item` or `answer`/`answer_type`), as
      this module writes them;
    - question rows with configurable field names (`fields`), the answer taken from the
      answer field or else from the last `\\boxed{}` of the solution.
    """
    fields = fields or ImportFields()
    path = Path(path)
    if not path.exists():
        raise ItemFileError(path, "file does not exist")
    errors = _Errors(path)
    out: list[TrainExample] = []
    shape: str | None = None
    with path.open(encoding="utf-8", errors="strict") as fh:
        try:
            lines = list(enumerate(fh, start=1))
        except UnicodeDecodeError as exc:
            raise ItemFileError(path, f"not valid UTF-8 (byte {exc.start})") from None
    for lineno, raw in lines:
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            errors.add(lineno, None, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(row, dict):
            errors.add(lineno, None, f"expected a JSON object, got {type(row).__name__}")
            continue
        shape = shape or _row_format(row)
        where = f"{path.name}:{lineno}"
        ex: TrainExample | None = None
        try:
            if shape == "items":
                ex = _from_item_row(row, style, need_completion, instruction)
            elif shape == "prompt":
                ex = _from_prompt_row(row, where, fields)
            else:
                ex = _from_import_row(row, where, fields, style, need_completion, instruction,
                                      errors, lineno)
        except KeyError as exc:
            errors.add(lineno, str(exc.args[0]), "missing or empty")
        except TypeError as exc:
            errors.add(lineno, None, str(exc))
        except TraceError as exc:
            errors.add(lineno, "meta.steps", str(exc))
        except ValueError as exc:  # pydantic ValidationError is a ValueError
            loc = getattr(exc, "errors", None)
            fld = ".".join(str(p) for p in loc()[0]["loc"]) if callable(loc) else None
            errors.add(lineno, fld, str(exc).splitlines()[-1].strip())
        if ex is None:
            continue
        if need_completion and not ex.completion:
            errors.add(lineno, "completion", "missing: SFT needs a target completion")
            continue
        if need_answer and ex.item is None:
            errors.add(lineno, "answer", "missing: GRPO needs the answer to score rollouts")
            continue
        out.append(ex)
    errors.raise_if_any(skip_bad_lines)
    if not out:
        raise ItemFileError(path, "no usable training examples")
    return out


# --- rows for TRL -----------------------------------------------------------------------------


def thinking_kwargs(thinking: str) -> dict[str, Any]:
    return {} if thinking == "auto" else {"enable_thinking": thinking == "on"}


def render_prompt(tokenizer: Any, prompt: str, *, chat: bool, thinking: str) -> str:
    """The exact text a model is conditioned on at evaluation: the chat template's generation
    prompt (with the thinking switch) when `chat`, else the plain prompt.

    Training on this rendered text (rather than on message lists) makes the trained context
    identical to the evaluation context whatever the template does with an assistant turn.
    """
    if not chat:
        return prompt
    text: str = tokenizer.apply_chat_template(
        [{"role": "user", "content": prompt}], tokenize=False, add_generation_prompt=True,
        **thinking_kwargs(thinking))
    return text


def turn_end(tokenizer: Any, *, chat: bool) -> str:
    """What closes an assistant turn: the template's end marker in chat format, else EOS."""
    eos = tokenizer.eos_token or ""
    if not chat:
        return eos
    probe = "@@answer@@"
    text: str = tokenizer.apply_chat_template(
        [{"role": "user", "content": "q"}, {"role": "assistant", "content": probe}],
        tokenize=False)
    after = text[text.rfind(probe) + len(probe):].strip() if probe in text else ""
    return after or eos


def sft_rows(examples: Sequence[TrainExample], tokenizer: Any, *, chat: bool,
             thinking: str) -> list[dict[str, str]]:
    """Prompt-completion rows in rendered text, so the loss can skip the prompt exactly."""
    end = turn_end(tokenizer, chat=chat)
    rows = []
    for ex in examples:
        assert ex.completion is not None
        rows.append({"prompt": render_prompt(tokenizer, ex.prompt, chat=chat, thinking=thinking),
                     "completion": ex.completion + end})
    return rows


def grpo_rows(examples: Sequence[TrainExample], tokenizer: Any, *, chat: bool,
              thinking: str) -> list[dict[str, str]]:
    """Rendered prompts carrying their item (as JSON text) for the reward to score against."""
    rows = []
    for ex in examples:
        assert ex.item is not None
        rows.append({"prompt": render_prompt(tokenizer, ex.prompt, chat=chat, thinking=thinking),
                     "item": ex.item.to_json()})
    return rows
