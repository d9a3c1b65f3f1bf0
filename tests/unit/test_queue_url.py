import pytest

from pyflink_sqs.queue_url import parse_queue_url, resolve_endpoint, resolve_region


@pytest.mark.parametrize("url, region", [
    ("https://sqs.us-east-1.amazonaws.com/123456789012/orders", "us-east-1"),
    ("https://sqs.eu-west-3.amazonaws.com/123456789012/orders.fifo", "eu-west-3"),
    ("https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q", "cn-north-1"),
    ("https://sqs-fips.us-gov-west-1.amazonaws.com/123456789012/q", "us-gov-west-1"),
    ("https://ap-southeast-2.queue.amazonaws.com/123456789012/q", "ap-southeast-2"),
    ("http://127.0.0.1:4566/queue/eu-central-1/000000000000/q", "eu-central-1"),
    ("http://sqs.us-west-2.localhost.localstack.cloud:4566/000000000000/q", "us-west-2"),
    ("http://127.0.0.1:4566/000000000000/q", None),
])
def test_region_is_read_from_the_url_where_it_names_one(url, region):
    assert parse_queue_url(url).region == region


@pytest.mark.parametrize("url", [
    None, "", "sqs.us-east-1.amazonaws.com/1/q", "ftp://host/1/q", "https:///1/q",
    "https://sqs.us-east-1.amazonaws.com/", "https://sqs.us-east-1.amazonaws.com/1/bad name",
    "https://sqs.us-east-1.amazonaws.com/1/" + "x" * 81, "https://host:99999/1/q",
    "https://sqs.us-east-1.amazonaws.com/1/q?Action=SendMessage",
])
def test_malformed_queue_url_names_sqs_url(url):
    with pytest.raises(ValueError, match="sqs_url"):
        parse_queue_url(url)


def test_fifo_is_recognised():
    assert parse_queue_url("https://sqs.us-east-1.amazonaws.com/1/orders.fifo").is_fifo
    assert not parse_queue_url("https://sqs.us-east-1.amazonaws.com/1/orders").is_fifo


def test_explicit_region_wins_over_the_url():
    queue = parse_queue_url("https://sqs.us-east-1.amazonaws.com/1/q")
    assert resolve_region(queue, {"aws.region": "eu-west-1"}) == "eu-west-1"


def test_missing_region_names_the_property():
    queue = parse_queue_url("http://127.0.0.1:4566/000000000000/q")
    with pytest.raises(ValueError, match="aws.region"):
        resolve_region(queue, {})


def test_invalid_region_names_the_property():
    queue = parse_queue_url("https://sqs.us-east-1.amazonaws.com/1/q")
    with pytest.raises(ValueError, match="aws.region 'Mars'"):
        resolve_region(queue, {"aws.region": "Mars"})


def test_endpoint_defaults_to_the_regions_https_endpoint():
    assert resolve_endpoint("us-east-1", {}) == "https://sqs.us-east-1.amazonaws.com"
    assert resolve_endpoint("cn-north-1", {}) == "https://sqs.cn-north-1.amazonaws.com.cn"
    assert resolve_endpoint("us-east-1", {"aws.endpoint": "http://127.0.0.1:4566/"}) == \
        "http://127.0.0.1:4566"


def test_malformed_endpoint_names_the_property():
    with pytest.raises(ValueError, match="aws.endpoint"):
        resolve_endpoint("us-east-1", {"aws.endpoint": "localhost:4566"})
