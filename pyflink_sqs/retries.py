"""How both backends pace sending again what failed: the backoff's bounds, and how many answers
with a wrong digest of one entry are allowed before the job fails.

Without dependencies, so the jar build can read it: java-bridge/generate_resources.py writes
java_resource() into retries.properties, which sink/Retries.java reads.
"""

# Full jitter: the delay before sending again is drawn from [0, min(cap, base * 2^failures)].
BACKOFF_BASE_SECONDS = 0.050
BACKOFF_CAP_SECONDS = 5.0
# Answers whose digest of one entry differs before the job fails: a flipped bit on the way is
# gone at the next try; three in a row mean something rewrites the messages.
MD5_ATTEMPTS = 3


def java_resource() -> str:
    """What the jar carries: the same numbers, in milliseconds where Java counts them so."""
    return "\n".join([
        "# generated from pyflink_sqs/retries.py by java-bridge/generate_resources.py; do not edit",
        f"backoff-base-millis={round(BACKOFF_BASE_SECONDS * 1000)}",
        f"backoff-cap-millis={round(BACKOFF_CAP_SECONDS * 1000)}",
        f"md5-attempts={MD5_ATTEMPTS}",
    ]) + "\n"
