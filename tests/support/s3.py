"""Buckets on LocalStack's S3, for large-payload offload, and what they hold."""
import uuid

import boto3

from tests.support.queues import ACCESS_KEY, REGION, SECRET_KEY


def s3_client(endpoint: str):
    return boto3.client("s3", region_name=REGION, endpoint_url=endpoint,
                        aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)


def create_bucket(endpoint: str) -> str:
    bucket = f"payloads-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint).create_bucket(Bucket=bucket)
    return bucket


def object_keys(endpoint: str, bucket: str):
    pages = s3_client(endpoint).get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return [item["Key"] for page in pages for item in page.get("Contents", [])]
