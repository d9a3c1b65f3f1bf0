"""Building sinks against a test endpoint and running small PyFlink jobs with them."""
from typing import Iterable, Optional

from pyflink.common import Types
from pyflink.common.serialization import SimpleStringSchema
from pyflink.datastream import StreamExecutionEnvironment

from pyflink_sqs import AWSConfigConstants, SqsSink
from tests.support.queues import ACCESS_KEY, REGION, SECRET_KEY


def client_properties(endpoint: str) -> dict:
    return {
        AWSConfigConstants.AWS_REGION: REGION,
        AWSConfigConstants.AWS_ENDPOINT: endpoint,
        AWSConfigConstants.AWS_ACCESS_KEY_ID: ACCESS_KEY,
        AWSConfigConstants.AWS_SECRET_ACCESS_KEY: SECRET_KEY,
    }


def sink_builder(queue_url: str, endpoint: str):
    return (SqsSink.builder()
            .set_sqs_url(queue_url)
            .set_serialization_schema(SimpleStringSchema())
            .set_sqs_client_properties(client_properties(endpoint)))


def run_job(records: Iterable[str], sink, parallelism: int = 2, typed: bool = True,
            type_info=None, name: str = "pyflink-sqs test", env: Optional[object] = None):
    """Sends the records through the sink in a bounded job and waits for it to finish."""
    env = env or StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(parallelism)
    if type_info is None and typed:
        type_info = Types.STRING()
    ds = env.from_collection(list(records), type_info=type_info)
    ds.sink_to(sink)
    return env.execute(name)
