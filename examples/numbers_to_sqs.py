#!/usr/bin/env python3
"""
Sends the bodies n-0 .. n-<count-1> to an SQS queue through SqsSink: the job the cluster tests
submit with `flink run -py`, and a template for your own.

    flink run -py examples/numbers_to_sqs.py --queue-url URL [--endpoint URL] [--count N]
        [--parallelism P] [--backend auto|java|python] [--keep-running]

Credentials come from the task managers (aws.credentials.provider AUTO: their environment,
then JVM system properties); never put secrets on a command line, Flink logs it. With
--keep-running the job stays up after the last number (an idle, unbounded second
input: an empty directory of the job manager's machine, watched), so its metrics can be read;
submit it detached (`flink run -d`) and cancel it when done.
"""
import argparse
import tempfile

from pyflink.common import Duration, Types
from pyflink.common.serialization import SimpleStringSchema
from pyflink.common.watermark_strategy import WatermarkStrategy
from pyflink.datastream import StreamExecutionEnvironment
from pyflink.datastream.connectors.file_system import FileSource, StreamFormat
from pyflink.datastream.connectors.number_seq import NumberSequenceSource

from pyflink_sqs import AWSConfigConstants, SqsSink


def client_properties(args) -> dict:
    properties = {AWSConfigConstants.AWS_REGION: args.region}
    if args.endpoint:
        properties[AWSConfigConstants.AWS_ENDPOINT] = args.endpoint
    return properties


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--queue-url", required=True)
    parser.add_argument("--endpoint")
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--count", type=int, default=1_000)
    parser.add_argument("--parallelism", type=int, default=2)
    parser.add_argument("--backend", default="java", choices=("java", "python"))
    parser.add_argument("--keep-running", action="store_true")
    args = parser.parse_args()

    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(args.parallelism)
    env.enable_checkpointing(2_000)
    numbers = (env.from_source(NumberSequenceSource(0, args.count - 1),
                               WatermarkStrategy.no_watermarks(), "numbers")
               .map(lambda n: f"n-{n}", output_type=Types.STRING()))
    if args.keep_running:
        # An empty directory watched for new files: an input that never ends and costs nothing.
        idle = (env.from_source(
            FileSource.for_record_stream_format(StreamFormat.text_line_format(),
                                                tempfile.mkdtemp(prefix="idle-"))
            .monitor_continuously(Duration.of_seconds(60)).build(),
            WatermarkStrategy.no_watermarks(), "idle"))
        numbers = numbers.union(idle)
    numbers.sink_to(SqsSink.builder()
                    .set_sqs_url(args.queue_url)
                    .set_serialization_schema(SimpleStringSchema())
                    .set_sqs_client_properties(client_properties(args))
                    .set_max_time_in_buffer_ms(200)
                    .set_backend(args.backend)
                    .build())
    env.execute("numbers to SQS")


if __name__ == "__main__":
    main()
