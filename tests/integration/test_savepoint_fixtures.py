"""Savepoints written by an earlier release (tests/fixtures/savepoints/, made by
make_savepoints.py there) restore in this code, on a standard and a FIFO queue: the records
the old writer held are sent, each group's in order, and nothing else.

A fixture restores on the Flink line that wrote it: Flink itself does not restore a savepoint
into an older line, and across lines its own compatibility is Flink's to keep, not this
package's. On other lines the fixture is reported as not applicable (skipped, saying why)."""
import glob
import json
import os

import pytest
from pyflink.version import __version__ as FLINK

from tests.support.flink import sink_builder
from tests.support.live_job import LiveJob
from tests.support.queues import drain, sqs_client

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "fixtures", "savepoints")


def fixtures():
    found = []
    for path in sorted(glob.glob(os.path.join(FIXTURES, "*", "fixture.json"))):
        with open(path) as f:
            fixture = json.load(f)
        fixture["savepoint"] = os.path.join(os.path.dirname(path), "savepoint")
        found.append(pytest.param(fixture, id=os.path.basename(os.path.dirname(path))))
    return found


def line(version: str) -> str:
    return ".".join(version.split(".")[:2])


def test_every_kind_of_queue_has_a_fixture_of_the_previous_release_on_the_default_line():
    made = {(f.values[0]["kind"], line(f.values[0]["flink"])) for f in fixtures()}
    assert {("standard", "2.3"), ("fifo", "2.3")} <= made


@pytest.mark.smoke  # so make test restores the 1.20.5 fixtures on 1.20.5 too
@pytest.mark.parametrize("fixture", fixtures())
def test_a_savepoint_of_an_earlier_release_restores_and_sends_what_it_held(localstack, fixture):
    if line(FLINK) != line(fixture["flink"]):
        pytest.skip(f"written by Flink {fixture['flink']}; this is {FLINK}")
    url = fixture["queue_url"]
    fifo = fixture["kind"] == "fifo"
    # The state names this queue URL; LocalStack finds the queue by its path, whatever port.
    sqs_client(localstack.endpoint).create_queue(
        QueueName=url.rsplit("/", 1)[1], Attributes={"FifoQueue": "true"} if fifo else {})
    builder = sink_builder(url, localstack.endpoint, "java").set_max_time_in_buffer_ms(200)
    if fifo:
        # The restored entries keep the groups and deduplication ids the old writer gave them.
        builder = builder.set_message_group_id("unused-by-restored-records")
    with LiveJob(builder.build(), sink_uid=fixture["sink_uid"], settings={
            "execution.savepoint.path": fixture["savepoint"],
            # Only the sink's state matters; the old job's source is not this one.
            "execution.savepoint.ignore-unclaimed-state": "true"}) as job:
        # One receiver: the order received is SQS's (several could append out of order).
        received = drain(localstack.endpoint, url, len(fixture["pending"]), threads=1)
        assert job.status() == "RUNNING"
    assert sorted(received) == sorted(fixture["pending"])
    if fifo:
        groups = fixture["groups"]
        for group in range(groups):
            in_group = [r for r in fixture["pending"] if int(r.rsplit("-", 1)[1]) % groups == group]
            assert [r for r in received if r in in_group] == in_group, f"group g{group}"
