"""The instance family: CreateInstances, GetInstance(s), DeleteInstance.

Records as the aws-cli ``create-instances``, ``get-instance`` and ``delete-instance``
examples show them (docs/service-reference.md §7). The real service moves a new instance
through ``pending`` to ``running``; the mock does it through the one transition mechanism
(``engine/transitions.py``: at once by default). The create operations are reported
``Started``, as the real ones are (aws-cli examples, docs/service-reference.md §3.1). What
changes an instance afterwards (stop and start, ports, static IPs, load balancer
attachments, disks, tags) has modules of its own.
"""

from __future__ import annotations

import copy
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException
from lightmock.core.ids import new_id
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource, ResourceForm
from lightmock.core.wire import Wire, request_tags, wire_time

# The one resource-name rule (validation applies it to ``ResourceName`` members only, and
# ``instanceNames`` is a plain string list in the model).
from lightmock.schema.validation import resource_name_problem
from lightmock.service import addresses, auto_snapshots, catalogue, family, key_pairs
from lightmock.service.context import RequestContext
from lightmock.service.key_pairs import DEFAULT_KEY_PAIR
from lightmock.service.kinds import Family, Kind

#: The state codes Lightsail reports (the EC2 codes: aws-cli ``get-instance-state`` example).
STATE_CODES = {"pending": 0, "running": 16, "shutting-down": 32, "terminated": 48, "stopping": 64, "stopped": 80}
RUNNING = "running"
STOPPED = "stopped"


def state_wire(name: str) -> Wire:
    """An instance's state as its record and GetInstanceState write it."""
    return {"code": STATE_CODES[name], "name": name}


INSTANCE = Kind(
    resource_type=ResourceType.INSTANCE,
    name_member="instanceName",
    get=("GetInstance", "instance"),
    listing=("GetInstances", "instances"),
    delete="DeleteInstance",
    zoned=True,
    alarmable=True,
    form=ResourceForm(state=state_wire),
    transition_seconds=30.0,
    # Its dynamic public address goes back to the pool (a static IP's stays with the static IP).
    when_removed=lambda state, instance: addresses.release_dynamic(state, instance.body),
)


def build(context: RequestContext, name: str, params: dict[str, Any]) -> Resource:
    """A new instance record of a create request's ``params`` (not stored yet: ``launch``)."""
    blueprint = catalogue.BLUEPRINTS[params["blueprintId"]]
    bundle = catalogue.BUNDLES[params["bundleId"]]
    raw = uuid.UUID(new_id()).bytes
    ip_type = params.get("ipAddressType", "dualstack")
    body: Wire = {
        "blueprintId": blueprint.blueprint_id,
        "blueprintName": blueprint.name,
        "bundleId": bundle.bundle_id,
        "addOns": auto_snapshots.add_on_wire(params.get("addOns", [])),
        "isStaticIp": False,
        "privateIpAddress": f"172.26.{raw[0]}.{raw[1] or 1}",
    }
    if ip_type != "ipv6":
        body["publicIpAddress"] = addresses.draw(context.state, raw[2:5])
    body["ipv6Addresses"] = [] if ip_type == "ipv4" else [addresses.ipv6_address(raw[4:16])]
    body["ipAddressType"] = ip_type
    body["hardware"] = {
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
    body["networking"] = {
        "monthlyTransfer": {"gbPerMonthAllocated": bundle.transfer_per_month_in_gb},
        "ports": [port.wire() for port in blueprint.ports],
    }
    body["username"] = blueprint.username
    body["sshKeyName"] = params.get("keyPairName", DEFAULT_KEY_PAIR)
    body["metadataOptions"] = {
        "state": "applied",
        "httpTokens": "optional",
        "httpEndpoint": "enabled",
        "httpPutResponseHopLimit": 1,
        "httpProtocolIpv6": "disabled",
    }
    return family.new_record(
        context,
        INSTANCE,
        name,
        zone=params["availabilityZone"],
        support_code=catalogue.support_code(context.account_id, "i-" + new_id().replace("-", "")[:17]),
        tags=request_tags(params),
        body=body,
    )


def check_names(names: list[str]) -> None:
    """Refuse an instance name list with a name the service would refuse or one named twice."""
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


def check_bundle(bundle_id: str) -> None:
    if bundle_id not in catalogue.BUNDLES:
        raise InvalidInputException(
            f"The specified bundle does not exist in this region: {quoted(bundle_id, bare=True)}",
            code="InvalidBundle",
        )


def launch(context: RequestContext, built: list[Resource], operation_type: str = "CreateInstance") -> Wire:
    """Store new instances (each on its way from ``pending`` to ``running``, its automatic
    snapshots scheduled if it has the add-on) and report them.
    An instance launched without a key pair of its own uses the region's default key pair,
    made now if there is none (API reference, DeleteKeyPair: docs/service-reference.md §12.7)."""
    if any(record.body["sshKeyName"] == DEFAULT_KEY_PAIR for record in built):
        key_pairs.default_key_pair(context)
    operations = []
    for record in built:
        family.add(context, record)
        family.begin_transition(context, record, interim="pending", final=RUNNING)
        auto_snapshots.start(context, record)
        operations.append(family.operation_on(context, record, operation_type, status="Started"))
    return {"operations": operations}


def create_instances(context: RequestContext, params: dict[str, Any]) -> Wire:
    names: list[str] = params["instanceNames"]
    check_names(names)
    if params["blueprintId"] not in catalogue.BLUEPRINTS:
        raise InvalidInputException(
            f"The specified blueprint does not exist in this region: {quoted(params['blueprintId'], bare=True)}",
            code="InvalidBlueprint",
        )
    check_bundle(params["bundleId"])
    family.check_zone(context, params["availabilityZone"])
    family.check_names_free(context, INSTANCE, names)
    # customImageName is "(Discontinued) ... ignored by the API" (model doc); so here.
    return launch(context, [build(context, name, params) for name in names])


#: Both health checks of an instance, which lightmock creates running and reachable
#: (inferred: the model lists the possible values, not what a healthy instance shows).
_HEALTHY: Wire = {"status": "ok", "details": [{"name": "reachability", "status": "passed"}]}


def _instance_copy(params: dict[str, Any]) -> Callable[[Resource], Wire]:
    """How GetInstance(s) hand out a record: with the health checks if asked for
    (``includeHealthStatus``, botocore 1.43.122 and later)."""
    if not params.get("includeHealthStatus"):
        return family.published

    def with_health(resource: Resource) -> Wire:
        return {**resource.wire, "instanceStatus": copy.deepcopy(_HEALTHY), "systemStatus": copy.deepcopy(_HEALTHY)}

    return with_health


def get_instance(context: RequestContext, params: dict[str, Any]) -> Wire:
    resource = family.find(context, ResourceType.INSTANCE, params["instanceName"])
    return {"instance": _instance_copy(params)(resource)}


def get_instances(context: RequestContext, params: dict[str, Any]) -> Wire:
    return family.list_handler(INSTANCE, _instance_copy(params))(context, params)


def get_blueprints(context: RequestContext, params: dict[str, Any]) -> Wire:
    # With appCategory ("LfR", the model's one value) the Lightsail for Research blueprints
    # alone; without it, the others: "You must use this parameter to view Lightsail for
    # Research blueprints" (model GetBlueprintsRequest.appCategory; §21.1).
    category = params.get("appCategory")
    records = (b.wire() for b in catalogue.BLUEPRINTS.values() if b.app_category == category)
    return family.list_catalogue(context, "GetBlueprints", "blueprints", params, records)


def get_bundles(context: RequestContext, params: dict[str, Any]) -> Wire:
    # The same rule for bundles (model GetBundlesRequest.appCategory).
    category = params.get("appCategory")
    records = (
        b.wire()
        for b in catalogue.BUNDLES.values()
        if (category in b.app_categories if category is not None else not b.app_categories)
    )
    return family.list_catalogue(context, "GetBundles", "bundles", params, records)


FAMILY = Family(
    title="Instances",
    kinds=(INSTANCE,),
    operations={
        "CreateInstances": create_instances,
        "GetInstance": get_instance,
        "GetInstances": get_instances,
        # With add-ons, only with forceDeleteAddOns (§11.5); its disks are detached (§11.1).
        "DeleteInstance": family.delete_handler(INSTANCE, auto_snapshots.check_deletable),
        "GetBlueprints": get_blueprints,
        "GetBundles": get_bundles,
    },
)
