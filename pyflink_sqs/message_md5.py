"""The MD5 digests SQS returns for a message it stored (MD5OfMessageBody,
MD5OfMessageAttributes), computed from what was sent, so an answer can be checked against the
request (as the AWS SDK for Java's MessageMD5ChecksumInterceptor does).

The attributes digest is SQS's: attributes sorted by name; for each, the name, the data type
and the value, each as a 4-byte big-endian length and its bytes, with one transport byte
between type and value (1 for a string value, String and Number types; 2 for a binary one).
tests/fixtures/md5_vectors.json holds the cases both backends are tested against.
"""
import hashlib
from typing import Mapping, Tuple, Union

STRING_TRANSPORT = 1
BINARY_TRANSPORT = 2


def body_md5(body: str) -> str:
    """Hex MD5 of the body's UTF-8 bytes."""
    return hashlib.md5(body.encode("utf-8")).hexdigest()


def attributes_md5(attributes: Mapping[str, Tuple[str, Union[str, bytes]]]) -> str:
    """Hex MD5 of message attributes given as name -> (data type, value); a bytes value is a
    binary attribute, a str one a string or number attribute."""
    digest = hashlib.md5()
    for name in sorted(attributes):
        kind, value = attributes[name]
        _add(digest, name.encode("utf-8"))
        _add(digest, kind.encode("utf-8"))
        if isinstance(value, bytes):
            digest.update(bytes([BINARY_TRANSPORT]))
            _add(digest, value)
        else:
            digest.update(bytes([STRING_TRANSPORT]))
            _add(digest, value.encode("utf-8"))
    return digest.hexdigest()


def _add(digest, data: bytes) -> None:
    digest.update(len(data).to_bytes(4, "big"))
    digest.update(data)
