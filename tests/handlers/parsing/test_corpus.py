"""The spec's worked examples and our own corpora, each read exactly (shifts, age group, reason, and past).

`corpus_*` are the first round's messages, `corpus2_*` the second round's (spec/parsing.md, "Second round").
A line may carry the site's `opens`/`closes`; `past` is compared when the line's expectation has it.
"""

from __future__ import annotations

import json
from datetime import datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from handlers.parsing import parse_request

HERE = Path(__file__).parent
SHARED_EXAMPLES = HERE.parents[3] / "shared" / "spec" / "parse_examples.jsonl"


def cases(name: str) -> list[Any]:
    rows = [json.loads(line) for line in (HERE / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [pytest.param(row, id=f"{name.split('.')[0]}:{index}:{row['text'][:40]}") for index, row in enumerate(rows)]


def read(case: dict[str, Any]) -> dict[str, Any]:
    opens, closes = (time.fromisoformat(case[key]) if case.get(key) else None for key in ("opens", "closes"))
    now, zone = datetime.fromisoformat(case["now"]), ZoneInfo(case["tz"])
    parsed = parse_request(case["text"], now=now, zone=zone, opens=opens, closes=closes)
    got = parsed.as_json()
    return {key: got[key] for key in ("shifts", "age_group", "reason", "past") if key in case["expect"]}


@pytest.mark.parametrize("case", cases("spec_examples.jsonl"))
def test_spec_examples(case: dict[str, Any]) -> None:
    assert read(case) == case["expect"]


@pytest.mark.parametrize("case", cases("corpus_dev.jsonl"))
def test_development_corpus(case: dict[str, Any]) -> None:
    assert read(case) == case["expect"]


@pytest.mark.parametrize("case", cases("corpus_heldout.jsonl"))
def test_held_out_corpus(case: dict[str, Any]) -> None:
    assert read(case) == case["expect"]


@pytest.mark.parametrize("case", cases("corpus2_dev.jsonl"))
def test_second_round_development_corpus(case: dict[str, Any]) -> None:
    assert read(case) == case["expect"]


@pytest.mark.parametrize("case", cases("corpus2_heldout.jsonl"))
def test_second_round_held_out_corpus(case: dict[str, Any]) -> None:
    assert read(case) == case["expect"]


def test_every_expectation_of_the_second_round_says_past() -> None:
    for name in ("corpus2_dev.jsonl", "corpus2_heldout.jsonl"):
        for case in cases(name):
            assert "past" in case.values[0]["expect"], case.id


def test_the_spec_examples_here_are_the_shared_ones() -> None:
    if not SHARED_EXAMPLES.exists():
        pytest.skip("the shared spec folder is not beside this checkout")
    assert (HERE / "spec_examples.jsonl").read_bytes() == SHARED_EXAMPLES.read_bytes()
