package io.github.pyflinksqs.sink;

import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Updates one SqsSinkMetrics from several threads at once, as the HTTP client's threads do,
 * and prints the summary line. Run by tests/unit/test_metrics_concurrency.py; lives in the
 * sink's package because SqsSinkMetrics is package-private.
 */
public final class MetricsUnderConcurrency {
    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int callsPerThread = Integer.parseInt(args[1]);
        SqsSinkMetrics metrics =
                new SqsSinkMetrics(UnregisteredMetricsGroup.createSinkWriterMetricGroup());
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < callsPerThread; i++) {
                    metrics.sent(1, 10);
                    metrics.retried(1);
                    metrics.callStarted(1);
                    metrics.callFinished(1);
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        System.out.println(metrics.summary());
    }
}
