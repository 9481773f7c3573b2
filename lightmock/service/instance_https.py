"""HTTPS on an instance: SetupInstanceHttps and GetSetupHistory (docs/service-reference.md §17).

SetupInstanceHttps "Creates an SSL/TLS certificate that secures traffic for your website.
After the certificate is created, it is installed on the specified Lightsail instance";
GetSetupHistory "Returns detailed information for five of the most recent
SetupInstanceHttps requests that were ran on the target instance" (model documentation).
lightmock installs nothing: it records the request and the steps the setup would run, each
``succeeded``, and answers the history newest first, five at most. A request naming more
than one domain needs one name of at most 63 characters (model documentation); the
instance must be running, since the setup runs commands on it (**inferred**).
"""

from __future__ import annotations

from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException
from lightmock.core.wire import Wire, wire_time
from lightmock.service import family
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family

#: "five of the most recent SetupInstanceHttps requests" (GetSetupHistory doc).
HISTORY_LENGTH = 5
SCRIPT_VERSION = "1.0"
#: The steps of a setup, in order: what the Let's Encrypt setup does on the instance.
_STEPS = (
    ("Check the instance", "lightsail-https-setup check-instance"),
    ("Install Certbot", "lightsail-https-setup install-certbot"),
    ("Request the certificate from Let's Encrypt", "certbot certonly --webroot --non-interactive --agree-tos"),
    ("Install the certificate in the web server", "lightsail-https-setup install-certificate"),
    ("Schedule the certificate's renewal", "lightsail-https-setup schedule-renewal"),
)


def _history(context: RequestContext) -> dict[str, list[Wire]]:
    """The region's setups, by the instance's ARN, oldest first, the last ``HISTORY_LENGTH``
    only, since no more are read (kept in ``family_state``)."""
    history: dict[str, list[Wire]] = context.state.family_state.setdefault("setup_history", {})
    return history


def setup_instance_https(context: RequestContext, params: dict[str, Any]) -> Wire:
    instance = family.find(context, ResourceType.INSTANCE, params["instanceName"])
    names: list[str] = params["domainNames"]
    if len(names) > 1 and not any(len(name) <= 63 for name in names):
        raise InvalidInputException(
            "domainNames: at least one name must be 63 characters or fewer when more than one is given",
            code="InvalidDomainName",
        )
    if instance.state != "running":
        raise InvalidInputException(
            f"The instance {instance.name} is {instance.state}; HTTPS can be set up only on a running instance",
            code="InvalidInstanceState",
        )
    operation = family.operation_on(context, instance, "SetupInstanceHttps", status="Started")
    domains = " ".join(f"-d {name}" for name in names)
    now = wire_time(context.now)
    entry: Wire = {
        "operationId": operation["id"],
        "request": {
            "instanceName": instance.name,
            "domainNames": list(names),
            "certificateProvider": params["certificateProvider"],
        },
        "resource": {
            "name": instance.name,
            "arn": instance.arn,
            "createdAt": wire_time(instance.created_at),
            "location": {"availabilityZone": instance.zone, "regionName": instance.region},
            "resourceType": str(instance.resource_type),
        },
        "executionDetails": [
            {
                "command": f"{command} {domains}" if "certbot" in command else command,
                "dateTime": now,
                "name": name,
                "status": "succeeded",
                "standardError": "",
                "standardOutput": "",
                "version": SCRIPT_VERSION,
            }
            for name, command in _STEPS
        ],
        "status": "succeeded",
    }
    history = _history(context)
    # A new list: stored values are replaced, never edited in place.
    history[instance.arn] = [*history.get(instance.arn, [])[1 - HISTORY_LENGTH :], entry]
    return {"operations": [operation]}


def get_setup_history(context: RequestContext, params: dict[str, Any]) -> Wire:
    instance = family.find(context, ResourceType.INSTANCE, params["resourceName"])
    recent = _history(context).get(instance.arn, [])[-HISTORY_LENGTH:]
    return {"setupHistory": [dict(entry) for entry in reversed(recent)]}


FAMILY = Family(
    title="Instance HTTPS",
    operations={"SetupInstanceHttps": setup_instance_https, "GetSetupHistory": get_setup_history},
)
