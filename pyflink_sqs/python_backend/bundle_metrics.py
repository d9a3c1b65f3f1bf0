"""Counters and gauges of a PyFlink Python function that are updated at bundle end.

PyFlink's Python metrics are Beam metrics: an update goes to the metrics container of the Beam
state the worker thread is in. During process_element that is the function's own container,
whose cells PyFlink reports to Flink when the bundle ends. During the operation's finish(), where
the bundle hook runs (and where PyFlink itself reads gauges), it is another transform's
container, and updates made there never reach Flink (measured on PyFlink 2.3: a counter
incremented only at bundle end stays absent from the REST API). So updates go to the container
seen during process_element; until one was seen, nothing happened in a bundle anyway, and the
updates wait for the next publish.
"""
from typing import Dict, Iterable


class BundleMetrics:
    def __init__(self, group, counters: Iterable[str], gauges: Iterable[str],
                 operator_group=None, operator_counters: Iterable[str] = ()):
        """Counters and gauges under `group`; operator_counters directly under the operator's
        group (where Flink's own sink metrics such as numRecordsSendErrors are)."""
        self._counters = {name: group.counter(name) for name in counters}
        self._counters.update({name: operator_group.counter(name)
                               for name in operator_counters})
        self._gauge_values = dict.fromkeys(gauges, 0)
        for name in self._gauge_values:
            group.gauge(name, lambda name=name: self._gauge_values[name])
        # The Beam names PyFlink gives its metrics (it looks cells up by them too).
        self._counter_names = {name: c._inner_counter.metric_name
                               for name, c in self._counters.items()}
        self._gauge_names = {name: group._beam_gauge[name].metric_name
                             for name in self._gauge_values}
        self._container = None

    def remember_container(self) -> None:
        """Call from process_element: notes the function's own metrics container."""
        if self._container is None:
            from apache_beam.metrics.execution import MetricsEnvironment

            self._container = MetricsEnvironment.current_container()

    def publish(self, counter_deltas: Dict[str, int], gauge_values: Dict[str, int]) -> bool:
        """Adds the deltas and sets the gauges; False (nothing done) while no container is
        known."""
        self._gauge_values.update(gauge_values)
        container = self._container
        if container is None:
            return False
        for name, delta in counter_deltas.items():
            # Also at 0: a counter is listed in Flink only once it was reported.
            container.get_counter(self._counter_names[name]).inc(delta)
        for name, value in self._gauge_values.items():
            container.get_gauge(self._gauge_names[name]).set(value)
        return True
