#!/usr/bin/env python3
"""
Sends the bodies n-0 .. n-<count-1> to an SQS queue at about --rate records a second, from
Flink's number sequence source (a Java source whose position is checkpointed) through a Python
map: the job the task manager kill tests submit with `flink run -py`. Checkpoints every 2 s
and restarts after failures (fixed delay), so a killed task manager costs duplicates, never
records.

    flink run -py tests/cluster/jobs/paced_numbers_to_sqs.py --queue-url URL --endpoint URL
        --count N --rate R [--parallelism P] [--backend java|python] [--schedule-file F]
"""
import argparse
import os
import tempfile
import time

from pyflink.common import Configuration, Types
from pyflink.common.serialization import SimpleStringSchema
from pyflink.common.watermark_strategy import WatermarkStrategy
from pyflink.datastream import MapFunction, StreamExecutionEnvironment
from pyflink.datastream.connectors.number_seq import NumberSequenceSource

from pyflink_sqs import AWSConfigConstants, SqsSink


class Paced(MapFunction):
    """n -> "n-<n>", holding each subtask to per_second records a second on one schedule for
    the whole job, which starts when the first subtask opens: a restarted subtask catches up at
    full speed with the one that kept running, so both stay about as far into their halves of
    the numbers (a kill then always fails a subtask with work left). The schedule's start is
    kept in a file, which every subtask reads (all task managers run on this one machine) and
    reads again every second: a test moves the start forward by the time a recovery took, so
    recoveries do not eat into the schedule (the job keeps count/rate seconds of sending)."""

    def __init__(self, per_second: float, per_subtask: int, schedule_file: str):
        self.per_second, self.per_subtask = per_second, per_subtask
        self.schedule_file = schedule_file

    def open(self, runtime_context):
        try:
            fd = os.open(self.schedule_file, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            os.write(fd, repr(time.time()).encode())
            os.close(fd)
        except FileExistsError:
            pass
        self._read_schedule()

    def _read_schedule(self):
        text = ""
        while not text:  # the subtask that created the file may not have written it yet
            with open(self.schedule_file) as f:
                text = f.read()
        self.started, self.read_at = float(text), time.time()

    def map(self, number):
        if time.time() - self.read_at > 1:
            self._read_schedule()
        # Where the number lies in its subtask's share (NumberSequenceSource splits the range
        # into parallelism equal parts), so a restored subtask knows its place.
        position = number % self.per_subtask + 1
        ahead = position / self.per_second - (time.time() - self.started)
        # Sleeping only when 10 ms ahead keeps the sleeps few (one per ~10 ms of records).
        if ahead > 0.01:
            time.sleep(ahead)
        return f"n-{number}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--queue-url", required=True)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--rate", type=float, required=True, help="records a second, in all")
    parser.add_argument("--parallelism", type=int, default=2)
    parser.add_argument("--backend", default="java", choices=("java", "python"))
    parser.add_argument("--schedule-file", help="where the subtasks keep the schedule's start "
                        "(a path that does not exist yet; default: in a new temporary directory)")
    args = parser.parse_args()

    config = Configuration()
    # A task manager kill fails the tasks it ran; the job must outlive every kill of a test
    # (10 in the soak) with room for failures of the restarts themselves.
    config.set_string("restart-strategy.type", "fixed-delay")
    config.set_string("restart-strategy.fixed-delay.attempts", "100")
    config.set_string("restart-strategy.fixed-delay.delay", "1 s")
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(args.parallelism)
    env.enable_checkpointing(2_000)
    (env.from_source(NumberSequenceSource(0, args.count - 1), WatermarkStrategy.no_watermarks(),
                     "numbers")
     .map(Paced(args.rate / args.parallelism, -(-args.count // args.parallelism),
                args.schedule_file
                or os.path.join(tempfile.mkdtemp(prefix="paced-"), "started")),
          output_type=Types.STRING())
     .sink_to(SqsSink.builder()
              .set_sqs_url(args.queue_url)
              .set_serialization_schema(SimpleStringSchema())
              .set_sqs_client_properties({AWSConfigConstants.AWS_REGION: args.region,
                                          AWSConfigConstants.AWS_ENDPOINT: args.endpoint})
              .set_max_time_in_buffer_ms(200)
              .set_backend(args.backend)
              .build()))
    env.execute("paced numbers to SQS")


if __name__ == "__main__":
    main()
