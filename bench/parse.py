"""Accuracy and speed of the request parser on the spec examples and our corpus.

Run: .venv/bin/python bench/parse.py
Prints, per set, the accuracy of each field (shifts, age group, reason), the share of messages fully right, and
the warm time per message (best of several passes over the whole set, after one pass to warm the caches).
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handlers.parsing import parse_request  # noqa: E402

SETS = {
    "spec examples": ROOT / "tests/handlers/parsing/spec_examples.jsonl",
    "development": ROOT / "tests/handlers/parsing/corpus_dev.jsonl",
    "held-out": ROOT / "tests/handlers/parsing/corpus_heldout.jsonl",
}
FIELDS = ("shifts", "age_group", "reason")
PASSES = 20


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run(case: dict[str, Any]) -> dict[str, Any]:
    return parse_request(case["text"], now=datetime.fromisoformat(case["now"]), zone=ZoneInfo(case["tz"])).as_json()


def score(cases: list[dict[str, Any]]) -> tuple[dict[str, float], float]:
    right = dict.fromkeys(FIELDS, 0)
    full = 0
    for case in cases:
        got = run(case)
        hits = [got[field] == case["expect"][field] for field in FIELDS]
        for field, hit in zip(FIELDS, hits, strict=True):
            right[field] += hit
        full += all(hits)
    return {field: right[field] / len(cases) for field in FIELDS}, full / len(cases)


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
    print(f"{'set':<14} {'n':>4} {'shifts':>8} {'age':>8} {'reason':>8} {'fully':>8} {'ms/msg':>8}")
    for name, path in SETS.items():
        cases = load(path)
        fields, full = score(cases)
        ms = warm_ms_per_message(cases)
        print(
            f"{name:<14} {len(cases):>4} {fields['shifts']:>8.1%} {fields['age_group']:>8.1%} "
            f"{fields['reason']:>8.1%} {full:>8.1%} {ms:>8.3f}"
        )


if __name__ == "__main__":
    main()
