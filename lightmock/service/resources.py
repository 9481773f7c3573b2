"""Instances, load balancers and relational databases: the resources alarms watch.

Create, get, list and delete (docs/service-reference.md §7), and the catalogue calls that
name the blueprints and bundles a create may use (``catalogue.py``); what changes a
resource afterwards (stop and start, ports, static IPs, load balancer attachments, tags)
has modules of its own. Every handler validates and builds everything before it commits
anything, so a rejected call changes nothing; a change replaces a record's ``wire`` with a
new dict rather than editing it, and reads hand out copies (``published``).

Where the real service is asynchronous the mock is immediate: an instance is ``running``, a
load balancer ``active`` and a database ``available`` as soon as the create returns (the
real ones pass through ``pending``/``provisioning``/``creating``); the create operations are
still reported ``Started``, as the real ones are (aws-cli examples, docs/service-reference.md §3.1).

Names are unique per account and region across all three types, not only per type as in
Lightsail: alarms name their resource by ``monitoredResourceName`` alone, and this keeps
that lookup unambiguous.
"""

from __future__ import annotations

import copy
import functools
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException, NotFoundException
from lightmock.core.ids import new_id
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource
from lightmock.core.wire import Wire, request_tags, wire_time
from lightmock.schema.differences import served_model

# The one resource-name rule (validation applies it to ``ResourceName`` members only, and
# ``instanceNames`` is a plain string list in the model).
from lightmock.schema.validation import resource_name_problem
from lightmock.service import addresses, alarms, catalogue, links, paging
from lightmock.service.context import RequestContext

#: "You can create up to 10 load balancers per AWS Region in your account" (CreateLoadBalancer doc).
MAX_LOAD_BALANCERS = 10
DEFAULT_KEY_PAIR = "LightsailDefaultKeyPair"
_ZONE_LETTERS = "abcdef"
_TLS_POLICY = re.compile(r"\w[\w\-]*\w", re.ASCII)
_DB_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_TIME = r"([01]\d|2[0-3]):[0-5]\d"
_DAY = r"(mon|tue|wed|thu|fri|sat|sun):"
_BACKUP_WINDOW = re.compile(f"{_TIME}-{_TIME}")
_MAINTENANCE_WINDOW = re.compile(f"{_DAY}{_TIME}-{_DAY}{_TIME}", re.IGNORECASE)
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
T = TypeVar("T")


# -- shared rules -------------------------------------------------------------------------


def _not_found(resource_type: ResourceType, name: str) -> NotFoundException:
    # Terraform recognises "does not exist" text (docs/service-reference.md §2.2).
    return NotFoundException(f"The {resource_type} does not exist: {quoted(name, bare=True)}", code="DoesNotExist")


def find_in(records: Mapping[str, Resource], resource_type: ResourceType, name: str) -> Resource:
    """The record of that name among ``records`` (one kind's), or the service's ``NotFoundException``."""
    resource = records.get(name)
    if resource is None:
        raise _not_found(resource_type, name)
    return resource


def find(context: RequestContext, resource_type: ResourceType, name: str) -> Resource:
    """The resource of that type and name in the request's region, or ``NotFoundException``."""
    return find_in(context.state.resources[resource_type], resource_type, name)


def _check_names_free(context: RequestContext, resource_type: ResourceType, names: Iterable[str]) -> None:
    """Reject a name in use by any monitored resource of the region (see the module docstring)."""
    for name in names:
        existing = context.state.find_resource(name)
        if existing is None:
            continue
        if existing.resource_type == resource_type:
            raise InvalidInputException(
                f"The {resource_type} name is already in use: {quoted(name, bare=True)}", code="NameExists"
            )
        raise InvalidInputException(
            f"The name {name} is already in use by the {existing.resource_type} {name} in {context.region}; "
            "lightmock keeps names unique across instances, load balancers and databases so that an "
            "alarm's monitoredResourceName names one resource",
            code="NameExists",
        )


def _check_zone(context: RequestContext, zone: str) -> None:
    if not (len(zone) == len(context.region) + 1 and zone.startswith(context.region) and zone[-1] in _ZONE_LETTERS):
        raise InvalidInputException(
            f"The availability zone {quoted(zone, bare=True)} is not valid in the region {context.region} "
            f"(expected one of {context.region}a to {context.region}{_ZONE_LETTERS[-1]})",
            code="InvalidAvailabilityZone",
        )


def _delete(context: RequestContext, resource: Resource) -> Wire:
    """Commit a deletion (the record, the alarms that watch it, its metric data) and report it.

    The operation is terminal and ``Succeeded``, in the resource's own availability zone
    (``all`` for a load balancer), as the real DeleteInstance reports it.
    """
    del context.state.resources[resource.resource_type][resource.name]
    alarms.remove_for_resource(context, resource)
    links.refresh(context.state)  # a static IP or load balancer that named it
    context.state.metrics.discard(lambda key: key[0] == resource.resource_type and key[1] == resource.name)
    operation = context.operation(
        resource_name=resource.name,
        resource_type=resource.resource_type,
        operation_type=f"Delete{resource.resource_type.value}",
        availability_zone=resource.wire["location"]["availabilityZone"],
    )
    return {"operations": [operation]}


def published(resource: Resource) -> Wire:
    """A stored record as a response carries it: a copy, so the caller cannot change the store."""
    return copy.deepcopy(resource.wire)


def page_of(
    context: RequestContext,
    operation: str,
    member: str,
    params: dict[str, Any],
    listed: paging.Listing[T],
    publish: Callable[[T], Wire],
) -> Wire:
    """One page of ``listed``; stored records are handed out as copies (``publish``)."""
    return paging.page(
        listed,
        operation=operation,
        member=member,
        params=params,
        page_size=context.store.options.page_size,
        publish=publish,
    )


def _list_resources(
    context: RequestContext, operation: str, member: str, resource_type: ResourceType, params: dict[str, Any]
) -> Wire:
    listed = paging.indexed(context.state.resources[resource_type])
    return page_of(context, operation, member, params, listed, published)


def _list_catalogue(
    context: RequestContext, operation: str, member: str, params: dict[str, Any], records: Iterable[Wire]
) -> Wire:
    """One page of catalogue records, in catalogue order. Each ``wire()`` is made fresh
    for the call, so no copy is needed."""
    return page_of(context, operation, member, params, paging.in_order(records), publish=lambda record: record)


def _store(context: RequestContext, resource_type: ResourceType, name: str, wire: Wire) -> None:
    context.state.resources[resource_type][name] = Resource(
        name=name, resource_type=resource_type, arn=wire["arn"], created_at=context.now, wire=wire
    )


# -- instances ----------------------------------------------------------------------------


def _instance_add_ons(requests: list[Wire]) -> list[Wire]:
    add_ons: list[Wire] = []
    for request in requests:
        if request["addOnType"] == "AutoSnapshot":
            time_of_day = request.get("autoSnapshotAddOnRequest", {}).get("snapshotTimeOfDay", "06:00")
            add_ons.append(
                {
                    "name": "AutoSnapshot",
                    "status": "Enabled",
                    "snapshotTimeOfDay": time_of_day,
                    "nextSnapshotTimeOfDay": time_of_day,
                }
            )
        else:
            add_on: Wire = {"name": "StopInstanceOnIdle", "status": "Enabled"}
            add_on.update(request.get("stopInstanceOnIdleRequest", {}))
            add_ons.append(add_on)
    return add_ons


def _instance(context: RequestContext, name: str, params: dict[str, Any]) -> Wire:
    blueprint = catalogue.BLUEPRINTS[params["blueprintId"]]
    bundle = catalogue.BUNDLES[params["bundleId"]]
    resource_id = new_id()
    raw = uuid.UUID(resource_id).bytes
    ip_type = params.get("ipAddressType", "dualstack")
    record = context.resource_head(ResourceType.INSTANCE, name, resource_id, params["availabilityZone"])
    record["supportCode"] = catalogue.support_code(context.account_id, "i-" + new_id().replace("-", "")[:17])
    record["tags"] = request_tags(params)
    record["blueprintId"] = blueprint.blueprint_id
    record["blueprintName"] = blueprint.name
    record["bundleId"] = bundle.bundle_id
    record["addOns"] = _instance_add_ons(params.get("addOns", []))
    record["isStaticIp"] = False
    record["privateIpAddress"] = f"172.26.{raw[0]}.{raw[1] or 1}"
    if ip_type != "ipv6":
        record["publicIpAddress"] = addresses.public_ipv4(raw[2:5])
    # The model's Ipv6Address pattern wants all eight groups in upper case; 2001:db8::/32 is
    # the documentation prefix.
    groups = ["2001", "0DB8", *(f"{raw[i]:02X}{raw[i + 1]:02X}" for i in range(4, 16, 2))]
    record["ipv6Addresses"] = [] if ip_type == "ipv4" else [":".join(groups)]
    record["ipAddressType"] = ip_type
    record["hardware"] = {
        "cpuCount": bundle.cpu_count,
        "disks": [
            {
                "createdAt": wire_time(context.now),
                "sizeInGb": bundle.disk_size_in_gb,
                "isSystemDisk": True,
                "iops": max(100, 3 * bundle.disk_size_in_gb),
                "path": "/dev/xvda",
                "attachedTo": name,
                "attachmentState": "attached",
            }
        ],
        "ramSizeInGb": bundle.ram_size_in_gb,
    }
    record["networking"] = {
        "monthlyTransfer": {"gbPerMonthAllocated": bundle.transfer_per_month_in_gb},
        "ports": [port.wire() for port in blueprint.ports],
    }
    record["state"] = {"code": 16, "name": "running"}
    record["username"] = blueprint.username
    record["sshKeyName"] = params.get("keyPairName", DEFAULT_KEY_PAIR)
    record["metadataOptions"] = {
        "state": "applied",
        "httpTokens": "optional",
        "httpEndpoint": "enabled",
        "httpPutResponseHopLimit": 1,
        "httpProtocolIpv6": "disabled",
    }
    return record


def create_instances(context: RequestContext, params: dict[str, Any]) -> Wire:
    names: list[str] = params["instanceNames"]
    if not names:
        raise InvalidInputException("instanceNames must name at least one instance", code="ValidationError")
    for index, name in enumerate(names):
        problem = resource_name_problem(name, f"instanceNames[{index}]")
        if problem is not None:
            raise InvalidInputException(problem, code="ValidationError")
    # Counted in one pass (``names.count`` for each name took 13 s for 20,000 names).
    duplicates = sorted(name for name, times in Counter(names).items() if times > 1)
    if duplicates:
        shown = ", ".join(quoted(name, bare=True) for name in duplicates[:10])
        more = f" and {len(duplicates) - 10} more" if len(duplicates) > 10 else ""
        raise InvalidInputException(
            f"The instance names must differ; named more than once: {shown}{more}", code="NameExists"
        )
    if params["blueprintId"] not in catalogue.BLUEPRINTS:
        raise InvalidInputException(
            f"The specified blueprint does not exist in this region: {quoted(params['blueprintId'], bare=True)}",
            code="InvalidBlueprint",
        )
    if params["bundleId"] not in catalogue.BUNDLES:
        raise InvalidInputException(
            f"The specified bundle does not exist in this region: {quoted(params['bundleId'], bare=True)}",
            code="InvalidBundle",
        )
    _check_zone(context, params["availabilityZone"])
    _check_names_free(context, ResourceType.INSTANCE, names)
    # customImageName is "(Discontinued) ... ignored by the API" (model doc); so here.
    built = [(name, _instance(context, name, params)) for name in names]

    operations = []
    for name, record in built:
        _store(context, ResourceType.INSTANCE, name, record)
        operations.append(
            context.operation(
                resource_name=name,
                resource_type=ResourceType.INSTANCE,
                operation_type="CreateInstance",
                status="Started",
                availability_zone=params["availabilityZone"],
            )
        )
    return {"operations": operations}


#: Both health checks of an instance, which lightmock creates running and reachable
#: (inferred: the model lists the possible values, not what a healthy instance shows).
_HEALTHY: Wire = {"status": "ok", "details": [{"name": "reachability", "status": "passed"}]}


def _instance_copy(params: dict[str, Any]) -> Callable[[Resource], Wire]:
    """How GetInstance(s) hand out a record: a copy, with the health checks if asked for
    (``includeHealthStatus``, botocore 1.43.122 and later)."""
    if not params.get("includeHealthStatus"):
        return published

    def with_health(resource: Resource) -> Wire:
        return copy.deepcopy({**resource.wire, "instanceStatus": _HEALTHY, "systemStatus": _HEALTHY})

    return with_health


def get_instance(context: RequestContext, params: dict[str, Any]) -> Wire:
    resource = find(context, ResourceType.INSTANCE, params["instanceName"])
    return {"instance": _instance_copy(params)(resource)}


def get_instances(context: RequestContext, params: dict[str, Any]) -> Wire:
    listed = paging.indexed(context.state.resources[ResourceType.INSTANCE])
    return page_of(context, "GetInstances", "instances", params, listed, publish=_instance_copy(params))


def delete_instance(context: RequestContext, params: dict[str, Any]) -> Wire:
    return _delete(context, find(context, ResourceType.INSTANCE, params["instanceName"]))


# -- load balancers -----------------------------------------------------------------------


def create_load_balancer(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = params["loadBalancerName"]
    health_check_path = params.get("healthCheckPath", "/")
    if not health_check_path.startswith("/"):
        raise InvalidInputException(
            f"The health check path must start with '/': {quoted(health_check_path)}", code="ValidationError"
        )
    certificate_name = params.get("certificateName")
    if (certificate_name is None) != (params.get("certificateDomainName") is None):
        raise InvalidInputException(
            "certificateName and certificateDomainName must be given together", code="ValidationError"
        )
    tls_policy = params.get("tlsPolicyName")
    if tls_policy is not None and not _TLS_POLICY.fullmatch(tls_policy):
        raise InvalidInputException(
            f"The TLS policy does not exist: {quoted(tls_policy, bare=True)}", code="InvalidTlsPolicy"
        )
    _check_names_free(context, ResourceType.LOAD_BALANCER, [name])
    if len(context.state.resources[ResourceType.LOAD_BALANCER]) >= MAX_LOAD_BALANCERS:
        raise InvalidInputException(
            f"You can create up to {MAX_LOAD_BALANCERS} load balancers per AWS Region in your account; "
            f"{context.region} already has {MAX_LOAD_BALANCERS}",
            code="LimitExceeded",
        )

    resource_id = new_id()
    elb_id = new_id().replace("-", "")
    elb_account = str(int(catalogue.account_code(context.account_id, 16), 16) % 10**12).zfill(12)
    record = context.resource_head(ResourceType.LOAD_BALANCER, name, resource_id)
    record["supportCode"] = catalogue.support_code(
        context.account_id,
        f"arn:aws:elasticloadbalancing:{context.region}:{elb_account}:loadbalancer/app/{elb_id}/{new_id()[-16:]}",
    )
    record["tags"] = request_tags(params)
    record["dnsName"] = f"{elb_id}-{int(elb_id[:8], 16) % 10**10}.{context.region}.elb.amazonaws.com"
    record["state"] = "active"
    record["protocol"] = "HTTP"
    record["publicPorts"] = [80]
    record["healthCheckPath"] = health_check_path
    record["instancePort"] = params["instancePort"]
    record["instanceHealthSummary"] = []
    record["tlsCertificateSummaries"] = (
        [] if certificate_name is None else [{"name": certificate_name, "isAttached": False}]
    )
    record["configurationOptions"] = {
        "SessionStickinessEnabled": "false",
        "SessionStickiness_LB_CookieDurationSeconds": "86400",
    }
    record["ipAddressType"] = params.get("ipAddressType", "dualstack")
    record["httpsRedirectionEnabled"] = False
    if tls_policy is not None:
        record["tlsPolicyName"] = tls_policy

    _store(context, ResourceType.LOAD_BALANCER, name, record)
    operations = [
        context.operation(
            resource_name=name,
            resource_type=ResourceType.LOAD_BALANCER,
            operation_type="CreateLoadBalancer",
            status="Started",
        )
    ]
    if certificate_name is not None:
        # As the real create with a certificate answers (aws-cli create-load-balancer example).
        operations += [
            context.operation(
                resource_name=certificate_name,
                resource_type="LoadBalancerTlsCertificate",
                operation_type="CreateLoadBalancerTlsCertificate",
                details=name,
            ),
            context.operation(
                resource_name=name,
                resource_type=ResourceType.LOAD_BALANCER,
                operation_type="CreateLoadBalancerTlsCertificate",
                details=certificate_name,
            ),
        ]
    return {"operations": operations}


def get_load_balancer(context: RequestContext, params: dict[str, Any]) -> Wire:
    resource = find(context, ResourceType.LOAD_BALANCER, params["loadBalancerName"])
    return {"loadBalancer": published(resource)}


def get_load_balancers(context: RequestContext, params: dict[str, Any]) -> Wire:
    return _list_resources(context, "GetLoadBalancers", "loadBalancers", ResourceType.LOAD_BALANCER, params)


def delete_load_balancer(context: RequestContext, params: dict[str, Any]) -> Wire:
    return _delete(context, find(context, ResourceType.LOAD_BALANCER, params["loadBalancerName"]))


# -- relational databases -----------------------------------------------------------------


def _window_minutes(window: str) -> int:
    """The length of a well-formed ``hh24:mi-hh24:mi`` or ``ddd:hh24:mi-ddd:hh24:mi`` window."""

    def minutes(point: str) -> int:
        *day, hour, minute = point.split(":")
        return (_DAYS.index(day[0].lower()) * 1440 if day else 0) + int(hour) * 60 + int(minute)

    start, end = window.split("-")
    return (minutes(end) - minutes(start)) % (7 * 1440 if start.count(":") == 2 else 1440)


def _check_database_params(params: dict[str, Any], blueprint: catalogue.DatabaseBlueprint) -> None:
    """The documented constraints of CreateRelationalDatabaseRequest (reserved words aside)."""
    mysql = blueprint.engine == "mysql"
    problems: list[str] = []
    database_name = params["masterDatabaseName"]
    if not (_DB_IDENTIFIER.fullmatch(database_name) and len(database_name) <= (64 if mysql else 63)):
        problems.append(
            f"masterDatabaseName {quoted(database_name)} must be 1 to {64 if mysql else 63} letters, digits or "
            "underscores, beginning with a letter"
        )
    username = params["masterUsername"]
    if not (_DB_IDENTIFIER.fullmatch(username) and len(username) <= (16 if mysql else 63)):
        problems.append(
            f"masterUsername {quoted(username)} must be 1 to {16 if mysql else 63} letters, digits or underscores, "
            "beginning with a letter"
        )
    password = params.get("masterUserPassword")
    if password is not None:
        longest = 41 if mysql else 128
        printable = all("!" <= char <= "~" and char not in '/"@' for char in password)
        if not (8 <= len(password) <= longest and printable):
            problems.append(
                f"masterUserPassword must be 8 to {longest} printable ASCII characters other than '/', '\"', '@' "
                "and space"
            )
    for member, pattern, form in (
        ("preferredBackupWindow", _BACKUP_WINDOW, "hh24:mi-hh24:mi"),
        ("preferredMaintenanceWindow", _MAINTENANCE_WINDOW, "ddd:hh24:mi-ddd:hh24:mi"),
    ):
        window = params.get(member)
        if window is not None and not (pattern.fullmatch(window) and _window_minutes(window) >= 30):
            problems.append(f"{member} {quoted(window)} must be in the {form} format and at least 30 minutes long")
    if problems:
        raise InvalidInputException("; ".join(problems), code="ValidationError")


def create_relational_database(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = params["relationalDatabaseName"]
    blueprint = catalogue.DATABASE_BLUEPRINTS.get(params["relationalDatabaseBlueprintId"])
    if blueprint is None:
        raise InvalidInputException(
            "The specified database blueprint does not exist in this region: "
            + quoted(params["relationalDatabaseBlueprintId"], bare=True),
            code="InvalidBlueprint",
        )
    bundle = catalogue.DATABASE_BUNDLES.get(params["relationalDatabaseBundleId"])
    if bundle is None:
        raise InvalidInputException(
            "The specified database bundle does not exist in this region: "
            + quoted(params["relationalDatabaseBundleId"], bare=True),
            code="InvalidBundle",
        )
    zone = params.get("availabilityZone", f"{context.region}a")
    _check_zone(context, zone)
    _check_database_params(params, blueprint)
    _check_names_free(context, ResourceType.RELATIONAL_DATABASE, [name])

    resource_id = new_id()
    backing_id = "ls-" + (new_id() + new_id()).replace("-", "")[:40]
    host = catalogue.account_code(context.account_id, 12).translate(str.maketrans("0123456789", "ghijklmnop"))
    record = context.resource_head(ResourceType.RELATIONAL_DATABASE, name, resource_id, zone)
    record["supportCode"] = catalogue.support_code(context.account_id, backing_id)
    record["tags"] = request_tags(params)
    record["relationalDatabaseBlueprintId"] = blueprint.blueprint_id
    record["relationalDatabaseBundleId"] = bundle.bundle_id
    record["masterDatabaseName"] = params["masterDatabaseName"]
    record["hardware"] = {
        "cpuCount": bundle.cpu_count,
        "diskSizeInGb": bundle.disk_size_in_gb,
        "ramSizeInGb": bundle.ram_size_in_gb,
    }
    record["state"] = "available"
    record["backupRetentionEnabled"] = True
    record["pendingModifiedValues"] = {}
    record["engine"] = blueprint.engine
    record["engineVersion"] = blueprint.engine_version
    record["masterUsername"] = params["masterUsername"]
    record["parameterApplyStatus"] = "in-sync"
    record["preferredBackupWindow"] = params.get("preferredBackupWindow", "10:01-10:31")
    record["preferredMaintenanceWindow"] = params.get("preferredMaintenanceWindow", "sat:11:14-sat:11:44")
    record["publiclyAccessible"] = params.get("publiclyAccessible", False)
    record["masterEndpoint"] = {
        "port": blueprint.port,
        "address": f"{backing_id}.{host}.{context.region}.rds.amazonaws.com",
    }
    record["pendingMaintenanceActions"] = []
    record["caCertificateIdentifier"] = "rds-ca-rsa2048-g1"

    _store(context, ResourceType.RELATIONAL_DATABASE, name, record)
    operation = context.operation(
        resource_name=name,
        resource_type=ResourceType.RELATIONAL_DATABASE,
        operation_type="CreateRelationalDatabase",
        status="Started",
        availability_zone=zone,
    )
    return {"operations": [operation]}


def get_relational_database(context: RequestContext, params: dict[str, Any]) -> Wire:
    resource = find(context, ResourceType.RELATIONAL_DATABASE, params["relationalDatabaseName"])
    return {"relationalDatabase": published(resource)}


def get_relational_databases(context: RequestContext, params: dict[str, Any]) -> Wire:
    return _list_resources(
        context, "GetRelationalDatabases", "relationalDatabases", ResourceType.RELATIONAL_DATABASE, params
    )


def delete_relational_database(context: RequestContext, params: dict[str, Any]) -> Wire:
    resource = find(context, ResourceType.RELATIONAL_DATABASE, params["relationalDatabaseName"])
    if params.get("skipFinalSnapshot") and "finalRelationalDatabaseSnapshotName" in params:
        # "Specifying this parameter and also specifying the skip final snapshot parameter to
        # true results in an error." (model doc). Snapshots themselves are not modelled.
        raise InvalidInputException(
            "finalRelationalDatabaseSnapshotName cannot be given when skipFinalSnapshot is true",
            code="ValidationError",
        )
    return _delete(context, resource)


# -- catalogue ----------------------------------------------------------------------------


@functools.cache
def _model_database_engines() -> frozenset[str]:
    return frozenset(served_model().shape_for("RelationalDatabaseEngine").enum)


def get_blueprints(context: RequestContext, params: dict[str, Any]) -> Wire:
    # The only app category is "LfR" (Lightsail for Research); nothing in the catalogue has it.
    records = () if "appCategory" in params else (b.wire() for b in catalogue.BLUEPRINTS.values())
    return _list_catalogue(context, "GetBlueprints", "blueprints", params, records)


def get_bundles(context: RequestContext, params: dict[str, Any]) -> Wire:
    records = () if "appCategory" in params else (b.wire() for b in catalogue.BUNDLES.values())
    return _list_catalogue(context, "GetBundles", "bundles", params, records)


def get_relational_database_blueprints(context: RequestContext, params: dict[str, Any]) -> Wire:
    engines = _model_database_engines()
    records = (blueprint.wire(engines) for blueprint in catalogue.DATABASE_BLUEPRINTS.values())
    return _list_catalogue(context, "GetRelationalDatabaseBlueprints", "blueprints", params, records)


def get_relational_database_bundles(context: RequestContext, params: dict[str, Any]) -> Wire:
    records = (bundle.wire() for bundle in catalogue.DATABASE_BUNDLES.values())
    return _list_catalogue(context, "GetRelationalDatabaseBundles", "bundles", params, records)
