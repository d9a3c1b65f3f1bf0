"""Queue URL parsing, and the region and endpoint a queue is reached at."""
import re
from dataclasses import dataclass
from typing import Mapping, Optional
from urllib.parse import urlsplit

from pyflink_sqs.aws_config import AWSConfigConstants

# SQS queue names: 1-80 characters of [A-Za-z0-9_-], FIFO queues end in ".fifo".
_QUEUE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,75}(\.fifo)?$|^[A-Za-z0-9_-]{1,80}$")
_REGION = r"[a-z]{2}(?:-[a-z]+)+-\d+"
# sqs.<region>.amazonaws.com, sqs-fips.<region>..., vpce-...sqs.<region>.vpce..., and the same
# shape on emulators (sqs.<region>.localhost.localstack.cloud).
_HOST_REGION = re.compile(rf"(?:^|\.)sqs(?:-fips)?\.({_REGION})\.")
# The legacy form <region>.queue.amazonaws.com.
_LEGACY_HOST_REGION = re.compile(rf"^({_REGION})\.queue\.amazonaws\.com")
# LocalStack's path strategy: /queue/<region>/<account>/<name>.
_PATH_REGION = re.compile(rf"^/queue/({_REGION})/")


@dataclass(frozen=True)
class QueueUrl:
    url: str
    scheme: str
    host: str
    path: str
    name: str

    @property
    def is_fifo(self) -> bool:
        return self.name.endswith(".fifo")

    @property
    def region(self) -> Optional[str]:
        """The region the URL names, if it names one."""
        for pattern, text in ((_HOST_REGION, self.host), (_LEGACY_HOST_REGION, self.host),
                              (_PATH_REGION, self.path)):
            match = pattern.search(text)
            if match:
                return match.group(1)
        return None


def parse_queue_url(url, option: str = "sqs_url") -> QueueUrl:
    """Raises ValueError naming the option when the URL cannot be a queue URL."""
    expected = "expected https://sqs.<region>.amazonaws.com/<account-id>/<queue-name>"
    if not isinstance(url, str) or not url.strip():
        raise ValueError(f"{option} must be a queue URL, got {url!r}; {expected}")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{option} {url!r} is not an http(s) URL with a host; {expected}")
    try:
        parts.port  # noqa: B018 -- raises ValueError for a malformed port
    except ValueError:
        raise ValueError(f"{option} {url!r} has an invalid port; {expected}") from None
    if parts.query or parts.fragment:
        raise ValueError(f"{option} {url!r} must not have a query or fragment; {expected}")
    segments = [s for s in parts.path.split("/") if s]
    if not segments or not _QUEUE_NAME.match(segments[-1]):
        raise ValueError(
            f"{option} {url!r} does not end in a queue name (1-80 characters of letters, "
            f"digits, '-' and '_', optionally ending in '.fifo'); {expected}")
    return QueueUrl(url.strip(), parts.scheme, parts.netloc, parts.path, segments[-1])


def resolve_region(queue: QueueUrl, properties: Mapping[str, str]) -> str:
    # Surrounding blanks are ignored, as the Java backend trims every client property.
    region = properties.get(AWSConfigConstants.AWS_REGION, "").strip()
    if region:
        if not re.fullmatch(_REGION, region):
            raise ValueError(
                f"{AWSConfigConstants.AWS_REGION} {region!r} is not a region name "
                f"such as 'us-east-1'")
        return region
    region = queue.region
    if region is None:
        raise ValueError(
            f"no region: set {AWSConfigConstants.AWS_REGION} in the client properties; "
            f"the queue URL {queue.url!r} does not name one")
    return region


def resolve_endpoint(region: str, properties: Mapping[str, str]) -> str:
    """The URL requests go to: aws.endpoint when set, else the region's SQS endpoint."""
    given = properties.get(AWSConfigConstants.AWS_ENDPOINT, "")
    endpoint = given.strip()
    if endpoint:
        parts = urlsplit(endpoint)
        try:
            port = parts.port  # a port that is not a number from 0 to 65535 raises ValueError
        except ValueError:
            port = -1
        # A blank inside is no URL (Java's URI refuses it); the host would never resolve.
        if (parts.scheme not in ("http", "https") or not parts.hostname or port == -1
                or any(c.isspace() for c in endpoint)):
            raise ValueError(
                f"{AWSConfigConstants.AWS_ENDPOINT} {given!r} must be an http(s) URL "
                f"such as 'http://127.0.0.1:4566'")
        # The scheme in lower case (urlsplit's), as both backends' clients compare it.
        return (parts.scheme + endpoint[len(parts.scheme):]).rstrip("/")
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return f"https://sqs.{region}.{suffix}"
