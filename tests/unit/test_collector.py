"""The worker's collector tuning (streams.app.tune_collector): fewer, larger collections, none skipped."""

import gc
import weakref

import pytest

from streams.app import tune_collector


@pytest.fixture
def restore_collector():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


class Node:
    me: "Node"


def test_the_tuned_collector_leaves_start_up_objects_alone_and_still_frees_cycles(restore_collector):
    tune_collector()
    assert gc.get_freeze_count() > 0  # what existed at start-up is no longer walked
    assert gc.get_threshold()[0] > 700  # young objects are looked at less often than Python's default

    refs = []
    for _ in range(100):  # garbage only the cyclic collector frees: each node refers to itself
        node = Node()
        node.me = node
        refs.append(weakref.ref(node))
        del node
    assert any(ref() is not None for ref in refs)
    kept = [[n] for n in range(3 * gc.get_threshold()[0])]  # allocations enough for collections to run
    assert all(ref() is None for ref in refs), "cycles made after the tuning were never collected"
    assert len(kept) == 3 * gc.get_threshold()[0]
