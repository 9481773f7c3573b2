"""A bucket's access keys: CreateBucketAccessKey, GetBucketAccessKeys, DeleteBucketAccessKey.

As the API reference states them (docs/service-reference.md §18.3): "You can have a maximum
of two access keys per bucket"; "The secretAccessKey value is returned only in response to
the CreateBucketAccessKey action. You can get a secret access key only when you first
create an access key; you cannot get the secret access key later" (CreateBucketAccessKey);
GetBucketAccessKeys "does not return the secret access key value". A key's ``lastUsed``
"does not include data in the response of a CreateBucketAccessKey action. If the access key
has not been used, the region and serviceName values are N/A, and the lastUsedDate value is
null" (AccessKeyLastUsed): lightmock's keys are never used, since objects belong to S3.

The keys are kept with their bucket (``Resource.private``, which no read shows), without
their secrets: the mock forgets a secret once it has answered, as the service does.
"""

from __future__ import annotations

import secrets
import string
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException, NotFoundException
from lightmock.core.quoting import quoted
from lightmock.core.wire import Wire, wire_time
from lightmock.service import family
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family

MAX_KEYS_PER_BUCKET = 2
_ID_CHARACTERS = string.ascii_uppercase + string.digits
_SECRET_CHARACTERS = string.ascii_letters + string.digits + "+/"


def _new_key_id() -> str:
    """An IAM access key id: ``AKIA`` and 16 more of ``[A-Z0-9]`` (the model's ``^[A-Z0-9]{20}$``)."""
    return "AKIA" + "".join(secrets.choice(_ID_CHARACTERS) for _ in range(16))


def _new_secret() -> str:
    return "".join(secrets.choice(_SECRET_CHARACTERS) for _ in range(40))


def create_bucket_access_key(context: RequestContext, params: dict[str, Any]) -> Wire:
    bucket = family.find(context, ResourceType.BUCKET, params["bucketName"])
    keys: list[Wire] = bucket.private.get("accessKeys", [])
    if len(keys) >= MAX_KEYS_PER_BUCKET:
        raise InvalidInputException(
            f"The bucket {bucket.name} already has {MAX_KEYS_PER_BUCKET} access keys; you can have a maximum of "
            "two access keys per bucket. Delete one first",
            code="LimitExceeded",
        )
    key: Wire = {"accessKeyId": _new_key_id(), "status": "Active", "createdAt": wire_time(context.now)}
    bucket.private = {**bucket.private, "accessKeys": [*keys, key]}
    operation = family.operation_on(context, bucket, "CreateBucketAccessKey", details=key["accessKeyId"])
    return {"accessKey": {**key, "secretAccessKey": _new_secret()}, "operations": [operation]}


def get_bucket_access_keys(context: RequestContext, params: dict[str, Any]) -> Wire:
    bucket = family.find(context, ResourceType.BUCKET, params["bucketName"])
    never_used = {"region": "N/A", "serviceName": "N/A"}
    return {"accessKeys": [{**key, "lastUsed": dict(never_used)} for key in bucket.private.get("accessKeys", [])]}


def delete_bucket_access_key(context: RequestContext, params: dict[str, Any]) -> Wire:
    bucket = family.find(context, ResourceType.BUCKET, params["bucketName"])
    keys: list[Wire] = bucket.private.get("accessKeys", [])
    key_id = params["accessKeyId"]
    kept = [key for key in keys if key["accessKeyId"] != key_id]
    if len(kept) == len(keys):
        raise NotFoundException(
            f"The access key does not exist: {quoted(key_id, bare=True)} (bucket {bucket.name})", code="DoesNotExist"
        )
    bucket.private = {**bucket.private, "accessKeys": kept}
    return {"operations": [family.operation_on(context, bucket, "DeleteBucketAccessKey", details=key_id)]}


FAMILY = Family(
    title="Bucket access keys",
    operations={
        "CreateBucketAccessKey": create_bucket_access_key,
        "GetBucketAccessKeys": get_bucket_access_keys,
        "DeleteBucketAccessKey": delete_bucket_access_key,
    },
)
