"""Review decisions: an append-only log in SQLite beside the candidate file.

Every keypress that decides something is one committed row (WAL journal, synchronous=FULL),
so a crash, a kill or a closed tab loses nothing that was acknowledged, and two tabs or two
server processes writing at once are serialised by SQLite's own locking. The current state of
a candidate is a pure fold over its decisions in commit order; nothing is ever updated in
place, so the history of a review stays auditable.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from reasonscope.pools.candidates import Candidate
from reasonscope.taxonomy import CELLS, Behavior, Domain

ACTIONS = ("accept", "reject", "relabel", "edit", "reset")
STATUSES = ("undecided", "accepted", "rejected")
SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'relabel', 'edit', 'reset')),
    behavior TEXT,
    domain TEXT,
    answer TEXT,
    reviewer TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_candidate ON decisions (candidate_id);
"""


class DecisionError(ValueError):
    """A decision that cannot be recorded (unknown action, cell or candidate)."""


@dataclass(frozen=True)
class Decision:
    seq: int
    candidate_id: str
    action: str
    behavior: str | None = None
    domain: str | None = None
    answer: str | None = None
    reviewer: str | None = None
    created_at: str = ""


@dataclass(frozen=True)
class CandidateState:
    status: str
    behavior: Behavior
    domain: Domain
    answer: str
    relabelled: bool
    edited: bool
    decisions: int

    @property
    def cell(self) -> tuple[Behavior, Domain]:
        return (self.behavior, self.domain)


def decisions_path(candidates: Path | str) -> Path:
    """`cands.jsonl` -> `cands.decisions.sqlite`, in the same directory."""
    p = Path(candidates)
    return p.with_name(p.stem + ".decisions.sqlite")


def validate(action: str, behavior: str | None, domain: str | None,
             answer: str | None) -> None:
    if action not in ACTIONS:
        raise DecisionError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
    if action == "relabel":
        try:
            Behavior(behavior or ""), Domain(domain or "")
        except ValueError:
            raise DecisionError(f"relabel needs a valid behavior and domain, got "
                                f"{behavior!r}/{domain!r}") from None
    if action == "edit" and not (answer and answer.strip()):
        raise DecisionError("edit needs a non-empty answer")


class DecisionStore:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        with closing(self._connect()) as conn:
            conn.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    def record(self, candidate_id: str, action: str, *, behavior: str | None = None,
               domain: str | None = None, answer: str | None = None,
               reviewer: str | None = None) -> Decision:
        """Commit one decision durably before returning it."""
        validate(action, behavior, domain, answer)
        created = datetime.now(UTC).isoformat(timespec="milliseconds")
        keep_cell = action == "relabel"
        with closing(self._connect()) as conn:
            conn.execute("BEGIN IMMEDIATE")
            cur = conn.execute(
                "INSERT INTO decisions (candidate_id, action, behavior, domain, answer, reviewer,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (candidate_id, action, behavior if keep_cell else None,
                 domain if keep_cell else None, answer if action == "edit" else None,
                 reviewer, created))
            conn.execute("COMMIT")
            seq = int(cur.lastrowid or 0)
        return Decision(seq, candidate_id, action, behavior if keep_cell else None,
                        domain if keep_cell else None, answer if action == "edit" else None,
                        reviewer, created)

    def all(self) -> list[Decision]:
        with closing(self._connect()) as conn:
            rows = conn.execute("SELECT seq, candidate_id, action, behavior, domain, answer, "
                                "reviewer, created_at FROM decisions ORDER BY seq").fetchall()
        return [Decision(*r) for r in rows]


def initial_state(candidate: Candidate) -> CandidateState:
    item = candidate.item
    return CandidateState("undecided", item.behavior, item.domain, item.answer, False, False, 0)


def apply(state: CandidateState, decision: Decision, original: Candidate) -> CandidateState:
    n = state.decisions + 1
    if decision.action == "accept":
        return CandidateState("accepted", state.behavior, state.domain, state.answer,
                              state.relabelled, state.edited, n)
    if decision.action == "reject":
        return CandidateState("rejected", state.behavior, state.domain, state.answer,
                              state.relabelled, state.edited, n)
    if decision.action == "relabel":
        b, d = Behavior(decision.behavior or ""), Domain(decision.domain or "")
        moved = (b, d) != original.item.cell
        return CandidateState("accepted", b, d, state.answer, moved, state.edited, n)
    if decision.action == "edit":
        answer = decision.answer or state.answer
        return CandidateState(state.status, state.behavior, state.domain, answer,
                              state.relabelled, answer != original.item.answer, n)
    return CandidateState("undecided", original.item.behavior, original.item.domain,
                          original.item.answer, False, False, n)


def fold(candidates: Sequence[Candidate], decisions: Iterable[Decision]
         ) -> tuple[dict[str, CandidateState], list[Decision]]:
    """Current state of every candidate, and the decisions naming no known candidate."""
    by_id = {c.id: c for c in candidates}
    states = {c.id: initial_state(c) for c in candidates}
    orphans: list[Decision] = []
    for d in decisions:
        if d.candidate_id not in by_id:
            orphans.append(d)
            continue
        states[d.candidate_id] = apply(states[d.candidate_id], d, by_id[d.candidate_id])
    return states, orphans


@dataclass(frozen=True)
class CellProgress:
    cell: tuple[Behavior, Domain]
    total: int
    decided: int
    accepted: int
    rejected: int
    relabelled_out: int


def progress(candidates: Sequence[Candidate], states: dict[str, CandidateState]
             ) -> list[CellProgress]:
    """Per proposed cell: how many candidates, decided, accepted, rejected, moved elsewhere."""
    out: list[CellProgress] = []
    for cell in CELLS:
        ids = [c.id for c in candidates if c.item.cell == cell]
        if not ids:
            continue
        st = [states[i] for i in ids]
        out.append(CellProgress(cell, len(ids), sum(s.status != "undecided" for s in st),
                                sum(s.status == "accepted" for s in st),
                                sum(s.status == "rejected" for s in st),
                                sum(s.status == "accepted" and s.relabelled for s in st)))
    return out
