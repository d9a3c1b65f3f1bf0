"""The option table's rules: each value within its bounds, the combinations build() refuses, and
the defaults resource generated for the jar. (The defaults themselves are written once, in
config.py; README's table is held to them by test_readme.py.)"""
import pytest

from pyflink_sqs import config


def test_dead_letter_policy_needs_a_queue():
    values = {**config.defaults(), "rejected_record_policy": "dead_letter"}
    with pytest.raises(ValueError, match="rejected_record_policy 'dead_letter' needs "
                                         "dead_letter_queue_url"):
        config.validate_combination(values)


@pytest.mark.parametrize("name, bad", [
    ("rejected_record_policy", "drop"), ("rejected_record_policy", None),
    ("max_batch_size", 0), ("max_batch_size", 11), ("max_in_flight_requests", 0),
    ("max_buffered_requests", -1), ("max_batch_size_in_bytes", 0),
    ("max_batch_size_in_bytes", 1024 * 1024 + 1), ("max_time_in_buffer_ms", 0),
    ("max_record_size_in_bytes", 0), ("max_batch_size", True), ("max_batch_size", 2.0),
    ("fail_on_error", 1),
])
def test_a_value_out_of_bounds_is_named_with_its_range(name, bad):
    option = config.OPTIONS[name]
    with pytest.raises(ValueError) as error:
        config.validate_value(option, bad)
    assert name in str(error.value)
    assert option.bounds_text() in str(error.value)


def test_record_limit_above_batch_limit_is_rejected():
    values = {**config.defaults(), "max_record_size_in_bytes": 300_000,
              "max_batch_size_in_bytes": 200_000}
    with pytest.raises(ValueError, match=r"max_record_size_in_bytes \(300000\) must not exceed "
                                         r"max_batch_size_in_bytes \(200000\)"):
        config.validate_combination(values)


def test_buffer_must_hold_more_than_a_batch():
    values = {**config.defaults(), "max_buffered_requests": 10}
    with pytest.raises(ValueError, match=r"max_buffered_requests \(10\) must be greater than "
                                         r"max_batch_size \(10\)"):
        config.validate_combination(values)


def test_java_defaults_resource_carries_every_option():
    text = config.java_defaults_properties()
    for option in config.OPTIONS.values():
        if option.java_setter is None and option.sql_key is None:  # the backend choice
            assert f"{option.name}." not in text
        elif option.java_setter is None:  # the Python builder's, but SQL reads their keys
            assert f"{option.name}.sql-key={option.sql_key}" in text
            assert f"{option.name}.default=" not in text
        elif option.default is not None:
            assert f"{option.name}.default=" in text
    assert "max_batch_size.max=10" in text
    assert "fail_on_error.default=false" in text
    assert "rejected_record_policy.choices=fail,skip,dead_letter" in text
