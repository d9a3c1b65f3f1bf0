"""``'connector' = 'sqs'`` for the Table API and SQL: one call per TableEnvironment.

    from pyflink_sqs import enable_sql
    enable_sql(t_env)
    t_env.execute_sql("CREATE TABLE out (...) WITH ('connector' = 'sqs', ...)")

The connector (a DynamicTableSinkFactory) is in the bridge jar; this adds the jar to the
table environment with ``ADD JAR``, which puts it on the planner's class path and in the
``pipeline.jars`` of every job the environment submits, so nobody passes a jar path.
"""
from pyflink_sqs import java_backend

_ENABLED = "_pyflink_sqs_sql_enabled"


def enable_sql(table_env) -> None:
    """Makes the ``sqs`` connector available to ``table_env`` (idempotent)."""
    if getattr(table_env, _ENABLED, False):
        return
    path = java_backend.jar_url()[len("file://"):]
    if "'" in path:
        raise ValueError(f"the bridge jar's path {path!r} contains a quote, which ADD JAR "
                         f"cannot take; install pyflink-sqs elsewhere")
    table_env.execute_sql(f"ADD JAR '{path}'")
    setattr(table_env, _ENABLED, True)
