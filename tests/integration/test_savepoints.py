"""Savepoints with records still buffered in the Java writer: restored into the same sink they
are sent; restored into a sink for another queue, or into the Python backend (which has no
buffer to take them), the restore fails saying so, instead of dropping them."""
from tests.support.flink import sink_builder
from tests.support.live_job import LiveJob
from tests.support.queues import create_queue, drain
from tests.support.sqs_proxy import SqsProxy

UID = "orders-sink"


COUNT = 7


def savepoint_with_buffered_records(localstack, queue, tmp_path):
    """A Java-backend job whose writer holds records (fewer than a batch, a buffer time of an
    hour, so it sent none), stopped with a savepoint, which stores them."""
    with SqsProxy(localstack.endpoint) as proxy:
        sink = (sink_builder(queue, proxy.endpoint, "java").set_max_batch_size(10)
                .set_max_time_in_buffer_ms(3_600_000).build())
        with LiveJob(sink, sink_uid=UID) as job:
            job.add_lines([f"sp-{i}" for i in range(COUNT)])
            job.wait_for(lambda: job.sink_metric("numRecordsIn") == COUNT, 60,
                         "the sink did not take every record")
            savepoint = job.stop_with_savepoint(str(tmp_path / "savepoints"))
        assert proxy.sent_batches() == [], "a call was made: the savepoint may hold nothing"
    return savepoint


def test_records_buffered_at_a_savepoint_are_sent_by_the_restored_job(localstack, tmp_path):
    queue = create_queue(localstack.endpoint)
    savepoint = savepoint_with_buffered_records(localstack, queue, tmp_path)
    sink = sink_builder(queue, localstack.endpoint, "java").set_max_time_in_buffer_ms(500).build()
    with LiveJob(sink, sink_uid=UID, settings={"execution.savepoint.path": savepoint}) as job:
        received = drain(localstack.endpoint, queue, COUNT)
        assert job.status() == "RUNNING"
    assert sorted(received) == sorted(f"sp-{i}" for i in range(COUNT))


def test_a_savepoint_for_another_queue_fails_the_restore_naming_both(localstack, tmp_path):
    queue = create_queue(localstack.endpoint)
    other = create_queue(localstack.endpoint)
    savepoint = savepoint_with_buffered_records(localstack, queue, tmp_path)
    sink = sink_builder(other, localstack.endpoint, "java").build()
    with LiveJob(sink, sink_uid=UID, settings={"execution.savepoint.path": savepoint},
                 wait_running=False) as job:
        message = job.failure()
    assert "SqsSink cannot restore this checkpoint or savepoint" in message
    assert f"for queue {queue}" in message and f"sends to {other}" in message


def test_a_java_backend_savepoint_restored_with_the_python_backend_fails_saying_so(
        localstack, tmp_path):
    queue = create_queue(localstack.endpoint)
    savepoint = savepoint_with_buffered_records(localstack, queue, tmp_path)
    sink = sink_builder(queue, localstack.endpoint, "python").build()
    with LiveJob(sink, sink_uid=UID, settings={"execution.savepoint.path": savepoint},
                 wait_running=False) as job:
        message = job.failure()
    assert "cannot restore this checkpoint or savepoint with the Python backend" in message
    assert "set_backend('java')" in message


def buffered_per_subtask(job) -> list:
    return job.vertex_metric_per_subtask(job.job_id, "Sink", "sqs.bufferedRecords")


def test_rescaling_from_savepoints_to_three_subtasks_then_one_loses_no_buffered_record(
        localstack, tmp_path):
    """Java backend: records buffered by 2 subtasks, restored at parallelism 3 (which keeps
    them buffered: a buffer time of an hour) and then at 1, which sends them: each once."""
    queue = create_queue(localstack.endpoint)
    records = [f"rescale-{i}" for i in range(14)]
    hour = 3_600_000
    with SqsProxy(localstack.endpoint) as proxy:
        sink = sink_builder(queue, proxy.endpoint, "java").set_max_time_in_buffer_ms(hour)
        with LiveJob(sink.build(), parallelism=2, sink_uid=UID) as job:
            job.add_lines(records[:7])
            job.add_lines(records[7:])
            job.wait_for(lambda: sum(buffered_per_subtask(job)) == 14, 60,
                         "the two subtasks did not buffer every record")
            first = job.stop_with_savepoint(str(tmp_path / "p2"))
        with LiveJob(sink.build(), parallelism=3, sink_uid=UID,
                     settings={"execution.savepoint.path": first}) as job:
            job.wait_for(lambda: sum(buffered_per_subtask(job)) == 14, 60,
                         "the three subtasks did not take every buffered record")
            second = job.stop_with_savepoint(str(tmp_path / "p3"))
        assert proxy.sent_batches() == [], "a call was made before the last restore"
    sink = sink_builder(queue, localstack.endpoint, "java").set_max_time_in_buffer_ms(500)
    with LiveJob(sink.build(), parallelism=1, sink_uid=UID,
                 settings={"execution.savepoint.path": second}):
        received = drain(localstack.endpoint, queue, 14)
    assert sorted(received) == sorted(records)  # every record, once


def test_rescaling_the_python_backend_from_savepoints_loses_nothing(localstack, tmp_path):
    """Python backend: it keeps no state, because a savepoint's barrier waits until it has
    sent every record; restored at 3 and then 1 subtasks, nothing is missing or repeated."""
    queue = create_queue(localstack.endpoint)
    records = [f"py-rescale-{i}" for i in range(40)]
    sink = sink_builder(queue, localstack.endpoint, "python").set_max_time_in_buffer_ms(
        3_600_000)
    with LiveJob(sink.build(), parallelism=2, sink_uid=UID) as job:
        job.add_lines(records[:20])
        job.add_lines(records[20:])
        job.wait_for(lambda: job.sink_metric("numRecordsIn") == 40, 60,
                     "the sink did not take every record")
        savepoint = job.stop_with_savepoint(str(tmp_path / "p2"))
    for parallelism in (3, 1):
        with LiveJob(sink.build(), parallelism=parallelism, sink_uid=UID,
                     settings={"execution.savepoint.path": savepoint}) as job:
            savepoint = job.stop_with_savepoint(str(tmp_path / f"p{parallelism}"))
    assert sorted(drain(localstack.endpoint, queue, 40)) == sorted(records)
