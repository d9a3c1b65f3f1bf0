#!/usr/bin/env python3
"""
Sends `count` JSON rows {"order_id", "amount"} to an SQS queue with SQL: the Table API
counterpart of numbers_to_sqs.py, and the job the cluster test submits with `flink run -py`.

    flink run -py examples/sql_to_sqs.py --queue-url URL [--endpoint URL] [--count N]

Credentials come from the task managers (aws.credentials.provider AUTO); never put secrets in
the DDL of a job submitted from a shared machine: Flink logs table options.
"""
import argparse

from pyflink.table import EnvironmentSettings, TableEnvironment

from pyflink_sqs import enable_sql


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--queue-url", required=True)
    parser.add_argument("--endpoint")
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--count", type=int, default=1_000)
    args = parser.parse_args()

    t_env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    enable_sql(t_env)
    t_env.execute_sql(f"""
        CREATE TABLE orders_in (n BIGINT) WITH (
          'connector' = 'datagen', 'number-of-rows' = '{args.count}',
          'fields.n.kind' = 'sequence', 'fields.n.start' = '0',
          'fields.n.end' = '{args.count - 1}')""")
    endpoint = f", 'aws.endpoint' = '{args.endpoint}'" if args.endpoint else ""
    t_env.execute_sql(f"""
        CREATE TABLE orders_out (order_id STRING, amount DOUBLE) WITH (
          'connector' = 'sqs', 'queue-url' = '{args.queue_url}',
          'aws.region' = '{args.region}', 'format' = 'json'{endpoint})""")
    t_env.execute_sql("""
        INSERT INTO orders_out
        SELECT CONCAT('order-', CAST(n AS STRING)), n * 0.5 FROM orders_in""").wait()


if __name__ == "__main__":
    main()
