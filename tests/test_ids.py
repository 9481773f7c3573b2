"""Ids are version-4 UUID strings, unique within a process and between forked processes."""

from __future__ import annotations

import multiprocessing
import uuid

import pytest

from lightmock.core.ids import new_id


def _child_ids(queue: multiprocessing.Queue[list[str]]) -> None:
    queue.put([new_id() for _ in range(3)])


def test_ids_are_version_4_uuids() -> None:
    for text in (new_id() for _ in range(1_000)):
        parsed = uuid.UUID(text)
        assert (parsed.version, parsed.variant, str(parsed)) == (4, uuid.RFC_4122, text)


def test_no_id_repeats() -> None:
    ids = [new_id() for _ in range(100_000)]
    assert len(set(ids)) == len(ids)


# Python 3.12+ warns when a process with threads forks; this child only draws ids.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_forked_child_draws_its_own_ids() -> None:
    """pytest-xdist workers are forked: a child must not repeat its parent's ids."""
    context = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue[list[str]] = context.Queue()
    child = context.Process(target=_child_ids, args=(queue,))
    child.start()
    theirs = queue.get(timeout=30)
    child.join(timeout=30)
    ours = [new_id() for _ in range(3)]
    assert not set(theirs) & set(ours)
