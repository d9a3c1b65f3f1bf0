package io.github.pyflinksqs.sink;

import io.github.pyflinksqs.client.S3ServiceException;
import io.github.pyflinksqs.errors.ErrorAction;
import io.github.pyflinksqs.errors.ErrorClassifier;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How a failed S3 PUT of an offloaded body is classified: S3's answer by error_codes.S3_RULES, no
 * answer by the kinds of a SendMessageBatch call without one (the Python backend's s3_payloads.py
 * does the same, tests/unit/test_large_payload.py).
 */
class PayloadOffloaderTest {
    @Test
    void anAnswerIsClassifiedByS3sRules() {
        assertEquals(
                ErrorClassifier.classifyS3(404, "NoSuchBucket"),
                PayloadOffloader.classify(new S3ServiceException(404, "NoSuchBucket", "", null)));
        assertEquals(
                ErrorAction.THROTTLE,
                PayloadOffloader.classify(new S3ServiceException(503, "SlowDown", "", null))
                        .action());
    }

    @Test
    void noAnswerIsClassifiedAsACallWithoutOne() {
        // Retried, a mistyped s3_endpoint or an untrusted certificate would stall the job.
        assertEquals(
                ErrorClassifier.classifyCallFailure("unknown_host"),
                PayloadOffloader.classify(
                        new IOException(new UnknownHostException("s3.nowhere.example"))));
        assertEquals(
                ErrorAction.FATAL,
                PayloadOffloader.classify(
                                new CompletionException(
                                        new SSLHandshakeException("PKIX path building failed")))
                        .action());
        assertEquals(
                ErrorAction.RETRY,
                PayloadOffloader.classify(new ConnectException("Connection refused")).action());
    }
}
