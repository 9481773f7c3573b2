"""The bucket family: CreateBucket, GetBuckets, UpdateBucket, UpdateBucketBundle, DeleteBucket,
GetBucketBundles, and the instances given access to a bucket (SetResourceAccessForBucket).

Rules as the API reference states them (docs/service-reference.md §18): a bucket's name is
unique across every account and Region ("When you delete your bucket, the bucket name is
released and can be reused for a new bucket in your account or another Amazon Web Services
account", DeleteBucket), so CreateBucket looks in every region of the store
(``context.store.regions``); a bundle can be changed "only one time within a monthly Amazon
Web Services billing cycle" (UpdateBucketBundle), which ``ableToUpdateBundle`` reports;
DeleteBucket refuses a bucket with access keys or instances given access unless
``forceDelete`` (DeleteBucket doc); an instance is given access only while ``running`` or
``stopped`` (SetResourceAccessForBucket doc). ``resourcesReceivingAccess`` shows in GetBuckets
only with ``includeConnectedResources``, ``cors`` only with ``includeCors`` for one bucket
or in the response of the UpdateBucket that set it (Bucket shape doc).

A bucket's objects belong to Amazon S3's API and are not modelled (docs/limits.md says how
to pair lightmock with moto for them). Access keys live in ``bucket_keys.py``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource, ResourceForm
from lightmock.core.wire import Wire, request_tags, wire_time
from lightmock.engine.store import RegionState
from lightmock.service import catalogue, family, metricdata, paging
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family, Kind, Reference

_TYPE = ResourceType.BUCKET


def _state(code: str) -> Wire:
    return {"code": code}


def receiving_access(bucket: Resource) -> list[str]:
    """The instances given access to the bucket (SetResourceAccessForBucket)."""
    return [entry["name"] for entry in bucket.body["resourcesReceivingAccess"]]


def _instance_gone(state: RegionState, bucket: Resource, instance: Resource) -> None:
    kept = [entry for entry in bucket.body["resourcesReceivingAccess"] if entry["name"] != instance.name]
    bucket.update(resourcesReceivingAccess=kept)


BUCKET = Kind(
    resource_type=_TYPE,
    name_member="bucketName",
    get=("GetBuckets", "buckets"),
    listing=("GetBuckets", "buckets"),
    delete="DeleteBucket",
    alarmable=True,
    form=ResourceForm(state=_state),
    refers_to=(Reference(kind=ResourceType.INSTANCE, names=receiving_access, when_gone=_instance_gone),),
)


# -- bundles ----------------------------------------------------------------------------------


#: The bucket storage plans (GetBucketBundles; the Lightsail pricing page and the user guide's
#: "Buckets in Amazon Lightsail": 5 GB storage and 25 GB transfer for $1 a month, 100/250 for
#: $3, 250/500 for $5; docs/service-reference.md §18.2).
def _bundle(bundle_id: str, name: str, price: float, storage: int, transfer: int) -> Wire:
    return {
        "bundleId": bundle_id,
        "name": name,
        "price": price,
        "storagePerMonthInGb": storage,
        "transferPerMonthInGb": transfer,
    }


BUCKET_BUNDLES: dict[str, Wire] = {
    "small_1_0": _bundle("small_1_0", "Small", 1.0, 5, 25),
    "medium_1_0": _bundle("medium_1_0", "Medium", 3.0, 100, 250),
    "large_1_0": _bundle("large_1_0", "Large", 5.0, 250, 500),
}


def _check_bundle(bundle_id: str) -> None:
    if bundle_id not in BUCKET_BUNDLES:
        raise InvalidInputException(
            f"The bucket bundle does not exist: {quoted(bundle_id, bare=True)}; GetBucketBundles lists "
            f"{', '.join(BUCKET_BUNDLES)}",
            code="InvalidBundle",
        )


def get_bucket_bundles(context: RequestContext, params: dict[str, Any]) -> Wire:
    # Every bundle lightmock has is active, so includeInactive changes nothing.
    return {"bundles": [{**bundle, "isActive": True} for bundle in BUCKET_BUNDLES.values()]}


# -- reads ------------------------------------------------------------------------------------


def billing_month(epoch: float) -> tuple[int, int]:
    """The billing cycle a moment falls in, taken as its calendar month (UTC)."""
    moment = datetime.fromtimestamp(epoch, UTC)
    return moment.year, moment.month


def bundle_updatable(changed_at: float | None, month: tuple[int, int]) -> bool:
    """``ableToUpdateBundle`` of a bucket or a distribution whose bundle was last changed at
    ``changed_at`` (None: never), in the billing cycle ``month`` (``billing_month``)."""
    return changed_at is None or billing_month(changed_at) != month


def publisher(context: RequestContext, *, connected: bool = False, cors: bool = False) -> Callable[[Resource], Wire]:
    """How a read writes a bucket: ``ableToUpdateBundle`` by the mock's clock (false in the
    calendar month of the last bundle change, taken as the billing cycle), the connected
    instances and the CORS rules only when asked for."""
    month = billing_month(context.now)

    def publish(bucket: Resource) -> Wire:
        record = bucket.wire
        record["ableToUpdateBundle"] = bundle_updatable(bucket.private.get("bundleChangedAt"), month)
        if not connected:
            del record["resourcesReceivingAccess"]
        if not cors or "cors" not in bucket.private:
            record.pop("cors", None)
        else:
            record["cors"] = copy.deepcopy(bucket.private["cors"])
        return record

    return publish


def get_buckets(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = params.get("bucketName")
    connected = bool(params.get("includeConnectedResources"))
    # "This parameter is only supported when getting a single bucket with bucketName specified."
    publish = publisher(context, connected=connected, cors=bool(params.get("includeCors")) and name is not None)
    if name is not None:
        body: Wire = {"buckets": [publish(family.find(context, _TYPE, name))]}
    else:
        listed = paging.indexed(context.state.resources[_TYPE])
        body = family.page_of(context, "GetBuckets", "buckets", params, listed, publish)
    # lightmock's accounts have no S3 account-level block public access setting to sync.
    body["accountLevelBpaSync"] = {
        "status": "InSync",
        "lastSyncedAt": wire_time(context.now),
        "bpaImpactsLightsail": False,
    }
    return body


# -- create, update, delete -------------------------------------------------------------------


def _check_name_free_everywhere(context: RequestContext, name: str) -> None:
    """Bucket names are global: refuse one that any account has in any Region."""
    for (account_id, region), state in context.store.regions.items():
        if name in state.resources[_TYPE]:
            whose = "your account" if account_id == context.account_id else "another AWS account"
            raise InvalidInputException(
                f"The Bucket name is already in use: {name} (by {whose} in {region}); bucket names are unique "
                "across all AWS accounts and Regions",
                code="NameExists",
            )


def create_bucket(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = params["bucketName"]
    _check_bundle(params["bundleId"])
    _check_name_free_everywhere(context, name)
    family.check_names_free(context, BUCKET, [name])
    body: Wire = {
        "accessRules": {"getObject": "private", "allowPublicOverrides": False},
        "bundleId": params["bundleId"],
        "url": f"https://{name}.s3.{context.region}.amazonaws.com/",
        "objectVersioning": "Enabled" if params.get("enableObjectVersioning") else "NeverEnabled",
        "ableToUpdateBundle": True,
        "readonlyAccessAccounts": [],
        "resourcesReceivingAccess": [],
        "accessLogConfig": {"enabled": False},
    }
    bucket = family.new_record(
        context,
        BUCKET,
        name,
        support_code=catalogue.support_code(context.account_id, f"arn:aws:s3:::{name}"),
        state="OK",
        tags=request_tags(params),
        body=body,
    )
    family.add(context, bucket)
    operation = family.operation_on(context, bucket, "CreateBucket")
    return {"bucket": publisher(context)(bucket), "operations": [operation]}


def _access_log(context: RequestContext, bucket: Resource, config: Wire) -> Wire:
    """An access-log configuration as the BucketAccessLogConfig doc allows it: a destination
    bucket of the same account and Region when enabled, none when disabled."""
    destination = config.get("destination")
    if not config["enabled"]:
        if destination is not None or "prefix" in config:
            raise InvalidInputException(
                "accessLogConfig: destination and prefix must be omitted when disabling the access log",
                code="ValidationError",
            )
        return {"enabled": False}
    if destination is None:
        raise InvalidInputException(
            "accessLogConfig.destination is required when enabling the access log", code="ValidationError"
        )
    family.find(context, _TYPE, destination)  # of this account and Region, or NotFoundException
    return dict(config)


def update_bucket(context: RequestContext, params: dict[str, Any]) -> Wire:
    bucket = family.find(context, _TYPE, params["bucketName"])
    changes: Wire = {}
    if "accessRules" in params:
        changes["accessRules"] = {**bucket.body["accessRules"], **params["accessRules"]}
    versioning = params.get("versioning")
    if versioning is not None:
        if versioning not in ("Enabled", "Suspended"):
            raise InvalidInputException(
                f"versioning must be Enabled or Suspended, not {quoted(versioning)}", code="ValidationError"
            )
        changes["objectVersioning"] = versioning
    if "readonlyAccessAccounts" in params:  # at most 10: the model's max, checked by validation
        changes["readonlyAccessAccounts"] = list(dict.fromkeys(params["readonlyAccessAccounts"]))
    if "accessLogConfig" in params:
        changes["accessLogConfig"] = _access_log(context, bucket, params["accessLogConfig"])
    # Validated and built: commit.
    if changes:
        bucket.update(**changes)
    if "cors" in params:
        bucket.private = {**bucket.private, "cors": copy.deepcopy(params["cors"])}
    operation = family.operation_on(context, bucket, "UpdateBucket")
    # "CORS information is only returned in a response when you update the CORS policy."
    return {"bucket": publisher(context, cors="cors" in params)(bucket), "operations": [operation]}


def update_bucket_bundle(context: RequestContext, params: dict[str, Any]) -> Wire:
    bucket = family.find(context, _TYPE, params["bucketName"])
    bundle_id = params["bundleId"]
    _check_bundle(bundle_id)
    if bundle_id == bucket.body["bundleId"]:
        raise InvalidInputException(
            f"The bucket {bucket.name} already has the bundle {bundle_id}", code="ValidationError"
        )
    changed = bucket.private.get("bundleChangedAt")
    if changed is not None and billing_month(changed) == billing_month(context.now):
        raise InvalidInputException(
            f"You can update a bucket's bundle only one time within a monthly billing cycle; the bundle of "
            f"{bucket.name} was last changed on {datetime.fromtimestamp(changed, UTC):%Y-%m-%d} "
            "(ableToUpdateBundle is false)",
            code="BundleUpdateLimitExceeded",
        )
    bucket.update(bundleId=bundle_id)
    bucket.private = {**bucket.private, "bundleChangedAt": context.now}
    return {"operations": [family.operation_on(context, bucket, "UpdateBucketBundle", details=bundle_id)]}


def _check_delete(context: RequestContext, bucket: Resource, params: dict[str, Any]) -> None:
    if params.get("forceDelete"):
        return
    reasons = []
    if bucket.private.get("accessKeys"):
        reasons.append("has access keys")
    if bucket.body["resourcesReceivingAccess"]:
        reasons.append("has instances that were granted access to it")
    if reasons:
        raise InvalidInputException(
            f"The bucket {bucket.name} {' and '.join(reasons)}; delete them first, or force delete the bucket "
            "(forceDelete)",
            code="BucketNotEmpty",
        )


# -- resource access --------------------------------------------------------------------------


def set_resource_access_for_bucket(context: RequestContext, params: dict[str, Any]) -> Wire:
    bucket = family.find(context, _TYPE, params["bucketName"])
    instance = family.find(context, ResourceType.INSTANCE, params["resourceName"])
    entries = bucket.body["resourcesReceivingAccess"]
    present = any(entry["name"] == instance.name for entry in entries)
    if params["access"] == "allow":
        if instance.state not in ("running", "stopped"):
            raise InvalidInputException(
                f"The instance {instance.name} is {instance.state}; it must be running or stopped to be given "
                "access to a bucket",
                code="InvalidResourceState",
            )
        if not present:
            bucket.update(resourcesReceivingAccess=[*entries, {"name": instance.name, "resourceType": "Instance"}])
    elif present:
        bucket.update(resourcesReceivingAccess=[entry for entry in entries if entry["name"] != instance.name])
    operation = family.operation_on(context, bucket, "SetResourceAccessForBucket", details=instance.name)
    return {"operations": [operation]}


def get_bucket_metric_data(context: RequestContext, params: dict[str, Any]) -> Wire:
    return metricdata.metric_data(context, params, _TYPE, "bucketName")


FAMILY = Family(
    title="Buckets",
    kinds=(BUCKET,),
    operations={
        "CreateBucket": create_bucket,
        "GetBuckets": get_buckets,
        "UpdateBucket": update_bucket,
        "UpdateBucketBundle": update_bucket_bundle,
        "DeleteBucket": family.delete_handler(BUCKET, _check_delete),
        "GetBucketBundles": get_bucket_bundles,
        "SetResourceAccessForBucket": set_resource_access_for_bucket,
        "GetBucketMetricData": get_bucket_metric_data,
    },
)
