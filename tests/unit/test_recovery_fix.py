"""streams.recovery_fix: changelog offsets Faust could not build (None, or an earliest offset of -1 minus one)
are read from the start instead of handed to aiokafka's seek, which raised and crashed a worker that had
been frozen past its session timeout (fault suite, "one of two frozen 30 s")."""

from collections import Counter

from faust.tables.recovery import Recovery

from streams import recovery_fix


def test_unknown_offsets_are_read_from_the_start_and_known_ones_kept():
    offsets = Counter({"a": -2, "b": None, "c": -1, "d": 0, "e": 41})
    assert sorted(recovery_fix.unknown_to_start(offsets, ["a", "b", "c", "d", "e"])) == ["a", "b"]
    assert dict(offsets) == {"a": -1, "b": -1, "c": -1, "d": 0, "e": 41}


async def test_the_installed_recovery_seeks_no_negative_offset():
    sought = {}

    class Consumer:
        async def seek_wait(self, offsets):
            assert all(isinstance(o, int) and o >= 0 for o in offsets.values()), offsets  # as aiokafka checks
            sought.update(offsets)

    recovery_fix.install()
    recovery_fix.install()  # once is enough; twice changes nothing
    offsets = Counter({"a": -2, "b": 17})
    await Recovery._seek_offsets(object(), Consumer(), {"a", "b"}, offsets, "active")
    assert sought == {"a": 0, "b": 17}
