import pytest

from pyflink_sqs.elements import to_message_body


def test_str_and_utf8_bytes_become_text():
    assert to_message_body("héllo") == "héllo"
    assert to_message_body("héllo".encode()) == "héllo"
    assert to_message_body(bytearray(b"abc")) == "abc"


def test_invalid_utf8_bytes_name_their_size_and_offset():
    with pytest.raises(ValueError, match=r"bytes record of 3 bytes that is not valid UTF-8 "
                                         r"\(at byte 1\)"):
        to_message_body(b"a\xffb")


def test_other_types_say_how_to_map_the_stream():
    with pytest.raises(TypeError, match=r"got a int; map the stream to text first"):
        to_message_body(42)
