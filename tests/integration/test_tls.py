"""TLS to the endpoint: a certificate the JVM or Python does not trust fails the job at once,
saying what to check; aws.trust.all.certificates=true accepts it, with a WARNING."""
import logging
import ssl
import subprocess

import pytest

from tests.support.flink import client_properties, run_job, sink_builder
from tests.support.queues import create_queue, drain
from tests.support.sqs_proxy import SqsProxy


class TlsProxy(SqsProxy):
    """The recording proxy behind HTTPS, with a self-signed certificate for another host."""

    def __init__(self, upstream: str, directory):
        super().__init__(upstream)
        key, cert = directory / "key.pem", directory / "cert.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=untrusted.example", "-keyout", str(key), "-out", str(cert)],
                       check=True, capture_output=True)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(cert), str(key))
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self.endpoint = self.endpoint.replace("http://", "https://")


def tls_sink(queue, proxy, backend, **extra):
    return (sink_builder(queue, None, backend)
            .set_sqs_client_properties({**client_properties(proxy.endpoint), **extra}))


@pytest.mark.parametrize("backend", ["java", "python"])
def test_an_untrusted_certificate_fails_the_job_fast_saying_what_to_check(localstack, backend,
                                                                          tmp_path):
    queue = create_queue(localstack.endpoint)
    with TlsProxy(localstack.endpoint, tmp_path) as proxy:
        with pytest.raises(Exception) as error:
            run_job(["a", "b"], tls_sink(queue, proxy, backend).build(), parallelism=1)
    assert "the endpoint's TLS certificate is not trusted: check aws.endpoint" in \
        str(error.value)


@pytest.mark.parametrize("backend", ["java", "python"])
def test_trust_all_certificates_accepts_it_with_a_warning(localstack, backend, tmp_path,
                                                          caplog):
    queue = create_queue(localstack.endpoint)
    with TlsProxy(localstack.endpoint, tmp_path) as proxy:
        with caplog.at_level(logging.WARNING, logger="pyflink_sqs"):
            sink = tls_sink(queue, proxy, backend,
                            **{"aws.trust.all.certificates": "true"}).build()
        run_job(["t-1", "t-2", "t-3"], sink, parallelism=1)
    assert sorted(drain(localstack.endpoint, queue, 3)) == ["t-1", "t-2", "t-3"]
    assert len(proxy.sent_batches()) >= 1  # it did go through the TLS proxy
    assert any("aws.trust.all.certificates is set" in r.getMessage() for r in caplog.records)


def test_a_bad_trust_all_value_is_named_at_build():
    with pytest.raises(ValueError, match="aws.trust.all.certificates must be true or false, "
                                         "got 'yes'"):
        (sink_builder("https://sqs.us-east-1.amazonaws.com/1/q", "http://127.0.0.1:1")
         .set_sqs_client_properties({**client_properties("https://127.0.0.1:1"),
                                     "aws.trust.all.certificates": "yes"}).build())
