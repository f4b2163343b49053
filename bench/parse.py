"""Accuracy and speed of the request parser on the spec examples and our corpora, first and second round.

Run: .venv/bin/python bench/parse.py
Prints, per set, the accuracy of each field (shifts, age group, reason, past), the share of messages fully right,
and the warm time per message (best of several passes over the whole set, after one pass to warm the caches).
A first-round line says nothing of `past`: it is expected false (every one of them names a day still ahead).
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from datetime import time as clock
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handlers.parsing import parse_request  # noqa: E402

CORPORA = ROOT / "tests/handlers/parsing"
SETS = {
    "spec examples": CORPORA / "spec_examples.jsonl",
    "round 1 development": CORPORA / "corpus_dev.jsonl",
    "round 1 held-out": CORPORA / "corpus_heldout.jsonl",
    "round 2 development": CORPORA / "corpus2_dev.jsonl",
    "round 2 held-out": CORPORA / "corpus2_heldout.jsonl",
}
FIELDS = ("shifts", "age_group", "reason", "past")
PASSES = 20


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run(case: dict[str, Any]) -> dict[str, Any]:
    hours = {key: clock.fromisoformat(case[key]) for key in ("opens", "closes") if case.get(key)}
    now, zone = datetime.fromisoformat(case["now"]), ZoneInfo(case["tz"])
    return parse_request(case["text"], now=now, zone=zone, **hours).as_json()  # type: ignore[arg-type]


def expected(case: dict[str, Any], field: str) -> Any:
    return case["expect"].get(field, False) if field == "past" else case["expect"][field]


def score(cases: list[dict[str, Any]]) -> tuple[dict[str, float], float, list[str]]:
    """Per-field accuracy, the share fully right, and the messages that were not."""
    right = dict.fromkeys(FIELDS, 0)
    wrong = []
    for case in cases:
        got = run(case)
        hits = [got[field] == expected(case, field) for field in FIELDS]
        for field, hit in zip(FIELDS, hits, strict=True):
            right[field] += hit
        if not all(hits):
            wrong.append(case["text"])
    return {field: right[field] / len(cases) for field in FIELDS}, 1 - len(wrong) / len(cases), wrong


def warm_ms_per_message(cases: list[dict[str, Any]]) -> float:
    for case in cases:
        run(case)
    best = float("inf")
    for _ in range(PASSES):
        started = time.perf_counter()
        for case in cases:
            run(case)
        best = min(best, (time.perf_counter() - started) / len(cases))
    return best * 1000


def main() -> None:
    print(f"{'set':<20} {'n':>4} {'shifts':>8} {'age':>8} {'reason':>8} {'past':>8} {'fully':>8} {'ms/msg':>8}")
    misses = []
    for name, path in SETS.items():
        cases = load(path)
        fields, full, wrong = score(cases)
        ms = warm_ms_per_message(cases)
        print(
            f"{name:<20} {len(cases):>4} {fields['shifts']:>8.1%} {fields['age_group']:>8.1%} "
            f"{fields['reason']:>8.1%} {fields['past']:>8.1%} {full:>8.1%} {ms:>8.3f}"
        )
        misses += [f"  {name}: {text}" for text in wrong]
    if misses:
        print("not fully right:", *misses, sep="\n")


if __name__ == "__main__":
    main()
