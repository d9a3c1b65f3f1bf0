"""The sessions aws_session builds for temporary credentials (ASSUME_ROLE, WEB_IDENTITY_TOKEN):
their credentials come from the fetcher only, and are fetched again before they expire."""
import datetime

from pyflink_sqs.python_backend.aws_session import _session_with


class CountingFetcher:
    """Answers as botocore's STS fetchers do; the first session ends in `first_lifetime` s."""

    def __init__(self, first_lifetime: int):
        self.first_lifetime = first_lifetime
        self.calls = 0

    def fetch_credentials(self):
        self.calls += 1
        lifetime = self.first_lifetime if self.calls == 1 else 3600
        expiry = (datetime.datetime.now(datetime.timezone.utc)
                  + datetime.timedelta(seconds=lifetime))
        return {"access_key": f"ASIAFETCHED{self.calls}", "secret_key": "secret",
                "token": "token", "expiry_time": expiry.isoformat()}


def test_environment_keys_do_not_replace_the_fetched_ones(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAFROMENVIRONMENT")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "from-environment")
    session = _session_with(CountingFetcher(3600), "assume-role", "us-east-1")

    credentials = session.get_credentials().get_frozen_credentials()

    assert credentials.access_key == "ASIAFETCHED1"
    assert session.get_credentials().method == "assume-role"


def test_credentials_inside_the_refresh_window_are_fetched_again():
    # botocore refreshes credentials with less than 900 s left and refuses, as expired, ones
    # fetched with less than 600 s left: 700 s is inside the first window, outside the second.
    fetcher = CountingFetcher(700)
    credentials = _session_with(fetcher, "assume-role-with-web-identity",
                                "us-east-1").get_credentials()

    first = credentials.get_frozen_credentials().access_key
    second = credentials.get_frozen_credentials().access_key

    assert (first, second, fetcher.calls) == ("ASIAFETCHED1", "ASIAFETCHED2", 2)
