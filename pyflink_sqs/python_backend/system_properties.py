"""SYS_PROP on the Python backend: a Python worker has no JVM system properties, so the same
names are read from the job's Flink configuration (config.yaml, -D, or the Configuration the
environment was created with) when the sink is attached, and travel concealed with the
function as static keys."""
import dataclasses

from pyflink_sqs.aws_config import AWSConfigConstants as C
from pyflink_sqs.aws_config import CredentialProvider
from pyflink_sqs.client_properties import provider_name
from pyflink_sqs.python_backend.concealed import ConcealedProperties

ACCESS_KEY_ID = "aws.accessKeyId"
SECRET_ACCESS_KEY = "aws.secretAccessKey"
SESSION_TOKEN = "aws.sessionToken"


def with_configured_keys(settings, j_env):
    """The settings, with SYS_PROP replaced by the keys the configuration holds."""
    properties = settings.client_properties.reveal()
    if provider_name(properties) != CredentialProvider.SYS_PROP.value:
        return settings
    from pyflink.java_gateway import get_gateway

    config = get_gateway().jvm.org.apache.flink.python.util.PythonConfigUtil \
        .getEnvironmentConfig(j_env)
    values = {key: config.getString(key, None) for key in (ACCESS_KEY_ID, SECRET_ACCESS_KEY,
                                                           SESSION_TOKEN)}
    missing = [key for key in (ACCESS_KEY_ID, SECRET_ACCESS_KEY) if not values[key]]
    if missing:
        raise ValueError(f"{C.AWS_CREDENTIALS_PROVIDER} SYS_PROP on the Python backend reads "
                         f"{ACCESS_KEY_ID} and {SECRET_ACCESS_KEY} from the Flink "
                         f"configuration; it lacks {' and '.join(missing)}")
    properties.update({C.AWS_CREDENTIALS_PROVIDER: CredentialProvider.BASIC.value,
                       C.AWS_ACCESS_KEY_ID: values[ACCESS_KEY_ID],
                       C.AWS_SECRET_ACCESS_KEY: values[SECRET_ACCESS_KEY]})
    if values[SESSION_TOKEN]:
        properties[C.AWS_SESSION_TOKEN] = values[SESSION_TOKEN]
    return dataclasses.replace(settings, client_properties=ConcealedProperties(properties))
