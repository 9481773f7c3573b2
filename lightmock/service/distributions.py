"""Content delivery (CDN) distributions: CreateDistribution, GetDistributions,
UpdateDistribution, UpdateDistributionBundle, DeleteDistribution, GetDistributionBundles,
ResetDistributionCache, GetDistributionLatestCacheReset, AttachCertificateToDistribution,
DetachCertificateFromDistribution, GetDistributionMetricData, and what SetIpAddressType does
to a distribution (docs/service-reference.md §16).

A distribution is global: the service keeps it in us-east-1 and lightmock answers the
distribution operations there only (§16.1). Its origin is an instance, a load balancer, a
bucket or a container service of any Region, named with its Region (§16.2); a new or
updated distribution is ``InProgress`` and then ``Deployed``, through the one transition
mechanism. Its bundle can be changed once per billing cycle (``ableToUpdateBundle``, §16.3);
a certificate it uses must be a Lightsail certificate of us-east-1, ``ISSUED``, covering its
names (§16.4). Its metrics are the CloudFront ones the model lists, read through the same
aggregation as every Get*MetricData (``metricdata.py``); alarms cannot watch a distribution
(PutAlarm: "Instances, load balancers, and relational databases are the only Lightsail
resources that can currently be monitored by alarms"), so its name is not in the alarmable
namespace (§16.5).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource, ResourceForm
from lightmock.core.wire import Wire, request_tags, wire_time
from lightmock.engine.store import RegionState
from lightmock.service import buckets, catalogue, certificates, family, metricdata
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family, Kind

IN_PROGRESS = "InProgress"
DEPLOYED = "Deployed"
_TYPE = ResourceType.DISTRIBUTION


def _status(distribution: Resource) -> Wire:
    return {"status": distribution.state or IN_PROGRESS}


def _removed(state: RegionState, distribution: Resource) -> None:
    """A deleted distribution's metric data goes with it."""
    state.metrics.discard(lambda key: key[0] == _TYPE and key[1] == distribution.name)


DISTRIBUTION = Kind(
    resource_type=_TYPE,
    name_member="distributionName",
    listing=("GetDistributions", "distributions"),
    delete="DeleteDistribution",
    form=ResourceForm(state=None, derived=_status),
    transition_seconds=900.0,
    when_removed=_removed,
)

#: The CDN bundles (Lightsail pricing: 50 GB for $2.50, 200 GB for $5, 500 GB for $10 a month).
BUNDLES: tuple[Wire, ...] = (
    {"bundleId": "small_1_0", "name": "Small", "price": 2.5, "transferPerMonthInGb": 50, "isActive": True},
    {"bundleId": "medium_1_0", "name": "Medium", "price": 5.0, "transferPerMonthInGb": 200, "isActive": True},
    {"bundleId": "large_1_0", "name": "Large", "price": 10.0, "transferPerMonthInGb": 500, "isActive": True},
)
_BUNDLE_IDS = frozenset(str(bundle["bundleId"]) for bundle in BUNDLES)
#: The kinds of resource an origin can be (InputOrigin doc), in the order they are looked up.
ORIGIN_TYPES = (ResourceType.INSTANCE, ResourceType.LOAD_BALANCER, ResourceType.BUCKET, ResourceType.CONTAINER_SERVICE)


def _find(context: RequestContext, name: str) -> Resource:
    return family.find(context, _TYPE, name)


# -- what a request names -------------------------------------------------------------------


def _origin(context: RequestContext, requested: Wire) -> tuple[Wire, str]:
    """The ``Origin`` record and ``originPublicDNS`` of the resource an ``InputOrigin`` names."""
    name, region = requested.get("name"), requested.get("regionName")
    if not name or not region:
        raise InvalidInputException("origin: name and regionName must be given", code="MissingParameter")
    if region == "global":
        raise InvalidInputException("origin.regionName: 'global' is not a Region", code="InvalidRegion")
    state = context.region_state(region)
    for resource_type in ORIGIN_TYPES:
        resource = state.resources[resource_type].get(name)
        if resource is not None:
            break
    else:
        raise InvalidInputException(
            f"origin: there is no instance, load balancer, bucket or container service {quoted(name, bare=True)} "
            f"in {region}",
            code="InvalidOrigin",
        )
    body = resource.body
    public = body.get("dnsName") or body.get("publicIpAddress") or body.get("url") or f"{name}.{region}.lightsail"
    origin: Wire = {
        "name": name,
        "resourceType": str(resource_type),
        "regionName": region,
        "protocolPolicy": requested.get("protocolPolicy", "http-only"),
    }
    if "responseTimeout" in requested:
        origin["responseTimeout"] = requested["responseTimeout"]
    return origin, str(public).removeprefix("https://").rstrip("/")


def _bundle(bundle_id: str) -> str:
    if bundle_id not in _BUNDLE_IDS:
        raise InvalidInputException(
            f"bundleId: {quoted(bundle_id, bare=True)} is not a distribution bundle; GetDistributionBundles lists "
            f"{', '.join(sorted(_BUNDLE_IDS))}",
            code="InvalidBundle",
        )
    return bundle_id


def _certificate(context: RequestContext, name: str) -> list[str]:
    """The names an issued us-east-1 certificate covers, for ``alternativeDomainNames`` (§16.4)."""
    certificate = certificates.find(context, name)
    if certificate.state != certificates.ISSUED:
        raise InvalidInputException(
            f"The certificate {name} is {certificate.state}; a distribution can use only a valid (ISSUED) certificate",
            code="CertificateNotValid",
        )
    return list(certificate.body["subjectAlternativeNames"])


def _deploy(context: RequestContext, distribution: Resource) -> None:
    family.begin_transition(context, distribution, interim=IN_PROGRESS, final=DEPLOYED)


# -- operations -----------------------------------------------------------------------------


def create_distribution(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = params["distributionName"]
    family.check_names_free(context, DISTRIBUTION, [name])
    origin, public = _origin(context, params["origin"])
    body: Wire = {
        "alternativeDomainNames": [],
        "isEnabled": True,
        "domainName": "d"
        + hashlib.sha256(f"{context.account_id}:{name}:{context.now}".encode()).hexdigest()[:13]
        + ".cloudfront.net",
        "bundleId": _bundle(params["bundleId"]),
        "origin": origin,
        "originPublicDNS": public,
        "defaultCacheBehavior": dict(params["defaultCacheBehavior"]),
        "cacheBehaviors": [dict(item) for item in params.get("cacheBehaviors", [])],
        "ipAddressType": params.get("ipAddressType", "dualstack"),
        "viewerMinimumTlsProtocolVersion": params.get("viewerMinimumTlsProtocolVersion", "TLSv1.2_2021"),
    }
    if "cacheBehaviorSettings" in params:
        body["cacheBehaviorSettings"] = params["cacheBehaviorSettings"]
    if "certificateName" in params:
        body["alternativeDomainNames"] = _certificate(context, params["certificateName"])
        body["certificateName"] = params["certificateName"]
    if "defaultRootObject" in params:
        body["defaultRootObject"] = params["defaultRootObject"]
    distribution = family.new_record(
        context,
        DISTRIBUTION,
        name,
        support_code=catalogue.support_code(context.account_id, "E" + body["domainName"][1:14].upper()),
        tags=request_tags(params),
        body=body,
    )
    family.add(context, distribution)
    _deploy(context, distribution)
    return {
        "distribution": _publisher(context)(distribution),
        "operation": family.operation_on(context, distribution, "CreateDistribution", status="Started"),
    }


def _bundle_updatable(distribution: Resource, month: tuple[int, int]) -> bool:
    """``ableToUpdateBundle`` in the billing cycle ``month`` (§16.3), by when the bundle was
    last changed (``bundleUpdatedAt``, kept in ``private`` like ``cacheResetAt``: never shown)."""
    return buckets.bundle_updatable(distribution.private.get("bundleUpdatedAt"), month)


def _publisher(context: RequestContext) -> Callable[[Resource], Wire]:
    """How a read writes a distribution: ``ableToUpdateBundle`` by the mock's clock."""
    month = buckets.billing_month(context.now)

    def publish(distribution: Resource) -> Wire:
        record = distribution.wire
        record["ableToUpdateBundle"] = _bundle_updatable(distribution, month)
        return record

    return publish


def get_distributions(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = params.get("distributionName")
    publish = _publisher(context)
    if name is not None:
        return {"distributions": [publish(_find(context, name))]}
    listing = family.list_handler(DISTRIBUTION, publish)
    return listing(context, params)


def update_distribution(context: RequestContext, params: dict[str, Any]) -> Wire:
    """What the request names replaces what the distribution had; it deploys again (§16.3)."""
    distribution = _find(context, params["distributionName"])
    changes: dict[str, Any] = {}
    if "origin" in params:
        changes["origin"], changes["originPublicDNS"] = _origin(context, params["origin"])
    for member in (
        "defaultCacheBehavior",
        "cacheBehaviorSettings",
        "isEnabled",
        "defaultRootObject",
        "viewerMinimumTlsProtocolVersion",
    ):
        if member in params:
            changes[member] = params[member]
    if "cacheBehaviors" in params:
        changes["cacheBehaviors"] = [dict(item) for item in params["cacheBehaviors"]]
    if params.get("useDefaultCertificate"):
        changes.update(certificateName=None, alternativeDomainNames=[])
    elif params.get("certificateName"):
        changes.update(
            certificateName=params["certificateName"],
            alternativeDomainNames=_certificate(context, params["certificateName"]),
        )
    _apply(distribution, changes)
    _deploy(context, distribution)
    return {"operation": family.operation_on(context, distribution, "UpdateDistribution", status="Started")}


def _apply(distribution: Resource, changes: dict[str, Any]) -> None:
    """Replace members of the record; a member set to None is taken out."""
    body = {**distribution.body, **changes}
    distribution.body = {key: value for key, value in body.items() if value is not None}


def update_distribution_bundle(context: RequestContext, params: dict[str, Any]) -> Wire:
    """Once per billing cycle: "You can update your distribution's bundle only one time within
    your monthly Amazon Web Services billing cycle" (UpdateDistributionBundle doc, §16.3)."""
    name = params.get("distributionName")
    if name is None:
        raise InvalidInputException("distributionName must be given", code="MissingParameter")
    distribution = _find(context, name)
    bundle_id = _bundle(str(params.get("bundleId", distribution.body["bundleId"])))
    if not _bundle_updatable(distribution, buckets.billing_month(context.now)):
        raise InvalidInputException(
            f"You can update the bundle of the distribution {distribution.name} only one time within your monthly "
            "billing cycle; ableToUpdateBundle is false until the next one",
            code="BundleUpdateLimit",
        )
    distribution.update(bundleId=bundle_id)
    distribution.private = {**distribution.private, "bundleUpdatedAt": context.now}
    return {"operation": family.operation_on(context, distribution, "UpdateDistributionBundle")}


def delete_distribution(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = params.get("distributionName")
    if name is None:
        raise InvalidInputException("distributionName must be given", code="MissingParameter")
    distribution = _find(context, name)
    answer = family.delete(context, distribution)  # its metric data goes too (``_removed``)
    return {"operation": answer["operations"][0]}


def get_distribution_bundles(context: RequestContext, params: dict[str, Any]) -> Wire:
    return {"bundles": [{**bundle} for bundle in BUNDLES]}


def _named(context: RequestContext, params: dict[str, Any]) -> Resource:
    """The distribution named; the model leaves the name optional where the account has one."""
    name = params.get("distributionName")
    if name is not None:
        return _find(context, name)
    table = context.state.resources[_TYPE]
    if len(table) != 1:
        raise InvalidInputException(
            f"distributionName must be given: the account has {len(table)} distributions", code="MissingParameter"
        )
    return next(iter(table.values()))


def reset_distribution_cache(context: RequestContext, params: dict[str, Any]) -> Wire:
    distribution = _named(context, params)
    distribution.private = {**distribution.private, "cacheResetAt": context.now}
    return {
        "status": "Completed",
        "createTime": wire_time(context.now),
        "operation": family.operation_on(context, distribution, "ResetDistributionCache"),
    }


def get_distribution_latest_cache_reset(context: RequestContext, params: dict[str, Any]) -> Wire:
    distribution = _named(context, params)
    reset_at = distribution.private.get("cacheResetAt")
    if reset_at is None:
        return {}
    return {"status": "Completed", "createTime": wire_time(reset_at)}


def attach_certificate_to_distribution(context: RequestContext, params: dict[str, Any]) -> Wire:
    distribution = _find(context, params["distributionName"])
    names = _certificate(context, params["certificateName"])
    distribution.update(certificateName=params["certificateName"], alternativeDomainNames=names)
    _deploy(context, distribution)
    return {"operation": family.operation_on(context, distribution, "AttachCertificateToDistribution")}


def detach_certificate_from_distribution(context: RequestContext, params: dict[str, Any]) -> Wire:
    distribution = _find(context, params["distributionName"])
    if "certificateName" not in distribution.body:
        raise InvalidInputException(
            f"The distribution {distribution.name} has no certificate attached", code="NotAttached"
        )
    _apply(distribution, {"certificateName": None, "alternativeDomainNames": []})
    _deploy(context, distribution)
    return {"operation": family.operation_on(context, distribution, "DetachCertificateFromDistribution")}


def set_ip_address_type(context: RequestContext, distribution: Resource, ip_address_type: str, accept: bool) -> None:
    """SetIpAddressType for a distribution (``ip_address_types.SETTERS``): its
    ``ipAddressType`` changes and it deploys again (§16.2). The distribution was found in the
    request's region, which is us-east-1: they live nowhere else."""
    distribution.update(ipAddressType=ip_address_type)
    _deploy(context, distribution)


def get_distribution_metric_data(context: RequestContext, params: dict[str, Any]) -> Wire:
    return metricdata.metric_data(context, params, _TYPE, "distributionName")


FAMILY = Family(
    title="Distributions",
    kinds=(DISTRIBUTION,),
    operations=family.served_from_us_east_1(
        "Distribution",
        {
            "CreateDistribution": create_distribution,
            "GetDistributions": get_distributions,
            "UpdateDistribution": update_distribution,
            "UpdateDistributionBundle": update_distribution_bundle,
            "DeleteDistribution": delete_distribution,
            "GetDistributionBundles": get_distribution_bundles,
            "ResetDistributionCache": reset_distribution_cache,
            "GetDistributionLatestCacheReset": get_distribution_latest_cache_reset,
            "AttachCertificateToDistribution": attach_certificate_to_distribution,
            "DetachCertificateFromDistribution": detach_certificate_from_distribution,
            "GetDistributionMetricData": get_distribution_metric_data,
        },
    ),
)
