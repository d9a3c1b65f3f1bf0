"""Buffered entries survive a checkpoint: the state serializer round-trips them exactly."""
from tests.support.java import java_class, jvm

BODIES = ["plain", "", "unicode ü ✓ 😀 \u4e2d\u6587", "quotes \" and \\ and \n\t\r",
          "x" * 70_000]


def test_buffered_entries_round_trip_through_the_state_serializer():
    entry_class = java_class("io.github.pyflinksqs.sink.SqsMessageEntry")
    wrapper_class = java_class("org.apache.flink.connector.base.sink.writer.RequestEntryWrapper")
    entries = jvm().java.util.ArrayList()
    for body in BODIES:
        size = len(body.encode("utf-8"))
        entries.add(wrapper_class(entry_class(body, size), size))
    state = java_class("org.apache.flink.connector.base.sink.writer.BufferedRequestState")(entries)
    serializer = java_class("io.github.pyflinksqs.sink.SqsStateSerializer")()

    restored = serializer.deserialize(serializer.getVersion(),
                                      serializer.serialize(state)).getBufferedRequestEntries()

    assert [w.getRequestEntry().body() for w in restored] == BODIES
    assert [w.getRequestEntry().sizeInBytes() for w in restored] == \
        [len(b.encode("utf-8")) for b in BODIES]
    assert [w.getSize() for w in restored] == [len(b.encode("utf-8")) for b in BODIES]


def test_fifo_entries_keep_group_deduplication_id_and_delay_through_a_checkpoint():
    entry_class = java_class("io.github.pyflinksqs.sink.SqsMessageEntry")
    wrapper_class = java_class("org.apache.flink.connector.base.sink.writer.RequestEntryWrapper")
    attributes = jvm().java.util.LinkedHashMap()
    attributes.put("kind", java_class("io.github.pyflinksqs.sink.MessageAttribute").string("x"))
    entries = jvm().java.util.ArrayList()
    fifo = entry_class("body", 4, attributes, False, 7, "group-1", "dedup-1", -1)
    delayed = entry_class("later", 5, jvm().java.util.HashMap(), False, 8, None, None, 30)
    for entry in (fifo, delayed):
        entries.add(wrapper_class(entry, entry.sizeInBytes()))
    state = java_class("org.apache.flink.connector.base.sink.writer.BufferedRequestState")(entries)
    serializer = java_class("io.github.pyflinksqs.sink.SqsStateSerializer")()

    restored = [w.getRequestEntry() for w in serializer.deserialize(
        serializer.getVersion(), serializer.serialize(state)).getBufferedRequestEntries()]

    assert [(e.body(), e.groupId(), e.deduplicationId(), e.delaySeconds(), e.position(),
             e.sizeInBytes()) for e in restored] == [
        ("body", "group-1", "dedup-1", -1, 7, 4 + 4 + 6 + 1), ("later", None, None, 30, 8, 5)]
    assert serializer.getVersion() == 3
