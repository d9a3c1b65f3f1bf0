#!/usr/bin/env bash
# The compose file's one-shot submitter: creates a queue, runs examples/numbers_to_sqs.py on
# the cluster with `flink run -py` (no jar flags), and checks every event arrived.
set -euo pipefail
cd /opt/pyflink-sqs
queue_url=$(python examples/queue_tool.py --endpoint "$SQS_ENDPOINT" create pyflink-sqs-demo)
echo "queue: $queue_url"
"$FLINK_HOME"/bin/flink run -m "$JOBMANAGER" -py examples/numbers_to_sqs.py \
    --queue-url "$queue_url" --endpoint "$SQS_ENDPOINT" --count "$EVENTS"
python examples/queue_tool.py --endpoint "$SQS_ENDPOINT" expect "$queue_url" "$EVENTS"
