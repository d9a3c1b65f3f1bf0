"""Counters of a PyFlink Python function that may also be incremented at bundle end.

PyFlink's Python counters are Beam counters: inc() goes to the metrics container of the Beam
state the worker thread is in. During process_element that is the function's own container,
whose cells PyFlink reports to Flink when the bundle ends. During the operation's finish(), where
the bundle hook runs, it is another transform's container, and increments made there never reach
Flink (measured on PyFlink 2.3: a counter incremented only at bundle end stays absent from the
REST API). So increments go to the container seen during process_element; until one was seen,
nothing was counted in a bundle anyway, and the counts wait for the next publish.
"""
from typing import Dict, Iterable, Optional


class BundleCounters:
    def __init__(self, group, names: Iterable[str]):
        self._counters = {name: group.counter(name) for name in names}
        self._container = None

    def remember_container(self) -> None:
        """Call from process_element: notes the function's own metrics container."""
        if self._container is None:
            from apache_beam.metrics.execution import MetricsEnvironment

            self._container = MetricsEnvironment.current_container()

    def publish(self, deltas: Dict[str, int]) -> bool:
        """Adds the deltas; False (nothing counted) while no container is known."""
        container: Optional[object] = self._container
        if container is None:
            return False
        for name, delta in deltas.items():
            if delta:
                # The metric name PyFlink's own CounterImpl.get_count() looks cells up by.
                container.get_counter(self._counters[name]._inner_counter.metric_name).inc(delta)
        return True
