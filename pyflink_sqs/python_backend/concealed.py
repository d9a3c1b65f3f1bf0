"""Client properties as the Python backend's pickled function carries them: not in clear.

PyFlink ships a Python function to the task managers pickled inside the Beam pipeline, and
Flink logs that pipeline (pickle included) at DEBUG; a pickled str is its UTF-8 bytes, so a
secret key would show in such a log. The properties are therefore kept XORed with a random pad
and base64-encoded. This is concealment from logs, not encryption: whoever holds the job
graph can decode it, exactly as they can read the Java backend's serialized sink.
"""
import base64
import json
import os
from typing import Dict, Mapping


class ConcealedProperties:
    def __init__(self, properties: Mapping[str, str]):
        data = json.dumps(dict(properties)).encode("utf-8")
        pad = os.urandom(len(data))
        self._pad = base64.b64encode(pad)
        self._data = base64.b64encode(bytes(a ^ b for a, b in zip(data, pad)))

    def reveal(self) -> Dict[str, str]:
        pad = base64.b64decode(self._pad)
        data = base64.b64decode(self._data)
        return json.loads(bytes(a ^ b for a, b in zip(data, pad)).decode("utf-8"))

    def __repr__(self):
        return "ConcealedProperties(...)"
