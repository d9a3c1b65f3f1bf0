"""The shared FIFO group-ordering cases (tests/fixtures/fifo_order_cases.json): FifoBatcher lets
each entry go when the case says, as the case list in tests/fixtures/generate.py says by hand;
FifoOrderCasesTest holds the Java backend's FifoOrder to the same cases."""
import json
import os

import pytest

from tests.fixtures import generate

with open(os.path.join(generate.HERE, "fifo_order_cases.json"), encoding="ascii") as f:
    CASES = json.load(f)["cases"]
WHAT = [c["what"] for c in CASES]


def test_every_case_written_by_hand_is_in_the_fixture():
    assert WHAT == [c[0] for c in generate.FIFO_ORDER_CASES]
    assert len(CASES) >= 12


@pytest.mark.parametrize("case", CASES, ids=WHAT)
def test_the_fifo_batcher_admits_what_the_case_says(case):
    assert generate.fifo_order_admitted(case) == [s["admitted"] for s in case["steps"]]


@pytest.mark.parametrize("hand", generate.FIFO_ORDER_CASES,
                         ids=[c[0] for c in generate.FIFO_ORDER_CASES])
def test_the_case_is_what_was_meant(hand):
    """The fixture's answers are FifoBatcher's: each must also be what its case, written by
    hand, says (so a regenerated fixture cannot carry a bug along)."""
    what, _, steps = hand
    case, = [c for c in CASES if c["what"] == what]
    assert [s["admitted"] for s in case["steps"]] == [
        generate._fifo_step(s)["admitted"] for s in steps]


@pytest.mark.parametrize("case", CASES, ids=WHAT)
def test_each_group_goes_out_one_at_a_time_in_arrival_order(case):
    """The rule behind every case, checked on the fixture both backends are held to: a group
    has at most one entry out, its entries go out in arrival order, and an entry waits only
    while its group has one out. An ungrouped entry has no group and never waits."""
    groups = {e["id"]: None if e["group_id"] is None else (e["queue_url"], e["group_id"])
              for e in case["entries"]}
    out, waiting, admitted = {}, {}, set()  # group -> id out; group -> ids in arrival order
    for number, step in enumerate(case["steps"]):
        where = f"step {number} ({step['action']} {' '.join(step['ids'])})"
        if step["action"] == "add":
            entry, = step["ids"]
            if groups[entry] is None:
                assert step["admitted"] == [entry], f"{where}: an ungrouped entry waited"
            else:
                waiting.setdefault(groups[entry], []).append(entry)
        else:
            for entry in step["ids"]:
                if groups[entry] is not None and out.get(groups[entry]) == entry:
                    del out[groups[entry]]
        for entry in step["admitted"]:
            assert entry not in admitted, f"{where}: {entry} admitted twice"
            admitted.add(entry)
            group = groups[entry]
            if group is None:
                continue
            assert group not in out, f"{where}: {entry} admitted while {out[group]} is out"
            assert waiting[group][0] == entry, f"{where}: {entry} overtook {waiting[group][0]}"
            waiting[group].pop(0)
            out[group] = entry
        stuck = [ids[0] for group, ids in waiting.items() if ids and group not in out]
        assert not stuck, f"{where}: {stuck} wait for a group with nothing out"
