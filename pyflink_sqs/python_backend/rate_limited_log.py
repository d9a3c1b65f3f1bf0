"""At most one WARNING per key (an error code) per interval, with how many were left out."""
import logging
import threading
import time

# One line a minute per kind of warning: a throttled or poisoned stream must not write one per
# record. The Java backend's RateLimitedLog reads it from rate-limited-log.properties, which
# java-bridge/generate_resources.py writes from java_resource().
INTERVAL_SECONDS = 60.0


def java_resource() -> str:
    return ("# generated from pyflink_sqs/python_backend/rate_limited_log.py by "
            "java-bridge/generate_resources.py; do not edit\n"
            f"interval-millis={round(INTERVAL_SECONDS * 1000)}\n")


class RateLimitedLog:
    def __init__(self, logger: logging.Logger, interval_seconds: float = INTERVAL_SECONDS):
        self.logger = logger
        self.interval = interval_seconds
        self._windows = {}
        self._lock = threading.Lock()

    def warn(self, key: str, message: str) -> None:
        now = time.monotonic()
        with self._lock:
            last, suppressed = self._windows.get(key, (None, 0))
            if last is not None and now - last < self.interval:
                self._windows[key] = (last, suppressed + 1)
                return
            self._windows[key] = (now, 0)
        self.logger.warning(message if not suppressed else
                            f"{message} (and {suppressed} more like it since the last report)")
