"""GRPO rewards agree with the evaluation scorer; the no-signal verdict."""

from __future__ import annotations

import pytest

from reasonscope.items import Item
from reasonscope.scoring import score
from reasonscope.taxonomy import AnswerType, Behavior, Domain
from reasonscope.train.grpo import signal_summary
from reasonscope.train.rewards import build_rewards, overlong_penalty


def _item(answer: str, answer_type: AnswerType) -> Item:
    return Item.create(behavior=Behavior.CALCULATION, domain=Domain.MATH, difficulty=1,
                       prompt=f"Compute something equal to {answer}.", answer=answer,
                       answer_type=answer_type, source="test@1+0")


CASES = [
    (_item("12", AnswerType.INTEGER), [
        "So \\boxed{12}.", "\\boxed{13}", "twelve", "<think>\\boxed{12}</think> so \\boxed{11}",
        "<think>maybe \\boxed{12}</think>", "\\boxed{1,2}", "\\boxed{12.0}"]),
    (_item("1/2", AnswerType.RATIONAL), ["\\boxed{\\frac{1}{2}}", "\\boxed{0.5}", "\\boxed{2/4}",
                                          "\\boxed{1/3}", "\\boxed{}"]),
    (_item("x^2+1", AnswerType.EXPRESSION), ["\\boxed{1 + x^2}", "\\boxed{x^2}"]),
]


def _call(func: object, items: list[Item], completions: list[str]) -> list[float]:
    """Call a reward the way GRPOTrainer does: keyword arguments, dataset columns included."""
    assert callable(func)
    ids = [[0] * len(c) for c in completions]
    return func(prompts=["p"] * len(completions), completions=completions, completion_ids=ids,
                item=[i.to_json() for i in items], trainer_state=None,
                log_extra=lambda *a, **k: None, log_metric=lambda *a, **k: None)


def test_correct_and_format_rewards_are_the_scorer() -> None:
    items = [item for item, comps in CASES for _ in comps]
    completions = [c for _, comps in CASES for c in comps]
    funcs, weights = build_rewards(format_weight=0.5)
    assert [f.__name__ for f in funcs] == ["correct", "format"] and weights == [1.0, 0.5]
    expected = [score(i, c) for i, c in zip(items, completions, strict=True)]
    correct = _call(funcs[0], items, completions)
    assert correct == [1.0 if r.correct else 0.0 for r in expected]
    assert _call(funcs[1], items, completions) == [
        1.0 if r.parse_status == "ok" else 0.0 for r in expected]
    assert 0 < sum(correct) < len(correct)  # both outcomes are exercised


def test_conversational_completions_are_scored_on_their_content() -> None:
    item = CASES[0][0]
    funcs, _ = build_rewards()
    chat = [[{"role": "assistant", "content": "\\boxed{12}"}]]
    assert _call(funcs[0], [item], chat) == [1.0]  # type: ignore[arg-type]


def test_overlong_penalty_is_dapo_soft_punishment() -> None:
    assert overlong_penalty(80, 100, 20) == 0.0
    assert overlong_penalty(90, 100, 20) == -0.5
    assert overlong_penalty(100, 100, 20) == -1.0
    funcs, weights = build_rewards(overlong_buffer=4, max_completion_length=10)
    assert funcs[-1].__name__ == "overlong" and len(weights) == 2
    assert _call(funcs[-1], [CASES[0][0]] * 2, ["a" * 6, "a" * 8]) == [0.0, -0.5]


def test_signal_summary_flags_runs_without_signal() -> None:
    flat = [{"step": s, "reward": 0.0, "frac_reward_zero_std": 0.95} for s in (1, 2, 3)]
    verdict = signal_summary(flat, 0.9)
    assert verdict["status"] == "no_signal" and "NO LEARNING SIGNAL" in verdict["warning"]
    live = [{"step": s, "reward": 0.1 * s, "frac_reward_zero_std": 0.4} for s in (1, 2, 3)]
    verdict = signal_summary(live, 0.9)
    assert verdict["status"] == "trained" and "warning" not in verdict
    assert verdict["last_reward"] == pytest.approx(0.3)
    assert signal_summary([], 0.9)["status"] == "no_signal"
