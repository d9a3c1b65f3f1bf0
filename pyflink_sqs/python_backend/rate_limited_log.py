"""At most one WARNING per key (an error code) per interval, with how many were left out."""
import logging
import threading
import time


class RateLimitedLog:
    def __init__(self, logger: logging.Logger, interval_seconds: float = 60.0):
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
