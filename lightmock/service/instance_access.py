"""Reaching an instance: GetInstanceAccessDetails, DeleteKnownHostKeys, UpdateInstanceMetadataOptions.

**GetInstanceAccessDetails** (docs/service-reference.md §12.3) "Returns temporary SSH keys
you can use to connect to a specific virtual private server". Every call makes a new key:
an OpenSSH user certificate (``certKey``, for the blueprint's user, valid until
``expiresAt``) and its ``privateKey``; with the instance's public ``ipAddress`` (and
``ipv6Addresses``), ``protocol``, ``instanceName``, ``username`` and the instance's
``hostKeys`` (``ssh-rsa``, ``ssh-ed25519``, ``ecdsa-sha2-nistp256`` with their SHA-1 and
SHA-256 fingerprints and when Lightsail recorded them), as the aws-cli
``get-instance-access-details`` example shows them. A Windows instance is reached over RDP:
its ``password`` (the same on every call; empty when the instance was launched with a key
pair other than the default, model ``InstanceAccessDetails.password``), ``passwordData``, and
its RDP certificate as the one host key (``x509-cert``, with ``notValidBefore`` and
``notValidAfter``). The model says ``protocol`` "Defaults to ``ssh``"; lightmock defaults to
the blueprint's (``rdp`` for Windows) and refuses the other (inferred, docs/limits.md). The
temporary key is valid for 12 hours (inferred).

**DeleteKnownHostKeys** (§12.4) "Deletes the known host key or certificate used by the
Amazon Lightsail browser-based SSH or RDP clients": the instance's keys stay what they are,
Lightsail forgets having recorded them, and records them again (a new ``witnessedAt``) at the
next access. One ``DeleteKnownHostKeys`` operation, ``Succeeded``, in the instance's zone
(aws-cli ``delete-known-host-keys`` example).

**UpdateInstanceMetadataOptions** (§12.6) "Modifies the Amazon Lightsail instance metadata
parameters on a running or stopped instance. When you modify the parameters on a running
instance, the GetInstance or GetInstances API operation initially responds with a state of
``pending``. After the parameter modifications are successfully applied, the state changes
to ``applied``": the record's ``metadataOptions`` take the new values at once, and their
``state`` goes ``pending`` then ``applied`` through the one transition mechanism (a facet of
the record: the instance itself stays ``running``). A member left out keeps its value.
``httpProtocolIpv6`` "is available only for instances in the Europe (Stockholm) Amazon Web
Services Region (``eu-north-1``)" (model doc): refused elsewhere. The hop limit is 1 to 64,
as EC2's (inferred).
"""

from __future__ import annotations

import base64
import hashlib
import os
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException, OperationFailureException
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource
from lightmock.core.wire import Wire, wire_time
from lightmock.engine.transitions import Facet
from lightmock.service import catalogue, family, ssh_forms
from lightmock.service.context import RequestContext
from lightmock.service.instances import RUNNING, STOPPED
from lightmock.service.key_pairs import DEFAULT_KEY_PAIR
from lightmock.service.kinds import Family

#: How long GetInstanceAccessDetails' temporary key is valid (inferred).
ACCESS_SECONDS = 12 * 3600
#: How long an instance's RDP certificate is valid from its launch (inferred).
_RDP_CERTIFICATE_SECONDS = 182 * 86400
_WINDOWS = "WINDOWS"
_HOP_LIMITS = range(1, 65)
_IPV6_METADATA_REGION = "eu-north-1"


def _find(context: RequestContext, params: dict[str, Any]) -> Resource:
    return family.find(context, ResourceType.INSTANCE, params["instanceName"])


def _is_windows(instance: Resource) -> bool:
    blueprint = catalogue.BLUEPRINTS.get(instance.body["blueprintId"])
    return blueprint is not None and blueprint.platform == _WINDOWS


# -- what Lightsail keeps of an instance's access (Resource.private) -------------------------


def _kept(instance: Resource) -> Wire:
    """The instance's host keys (made at the first access, kept for its life), its Windows
    password, and when Lightsail last recorded its keys (its launch, until DeleteKnownHostKeys)."""
    private = instance.private
    if "hostKeys" not in private:
        password = base64.b64encode(os.urandom(24)).decode("ascii").rstrip("=")
        private = {
            **private,
            "hostKeys": [_host_key(algorithm, blob) for algorithm, blob in ssh_forms.host_key_blobs().items()],
            "rdpCertificate": base64.b64encode(b"\x30\x82\x02\xc6" + os.urandom(710)).decode("ascii"),
            "password": password,
            "ciphertext": base64.b64encode(os.urandom(256)).decode("ascii"),
            "witnessedAt": instance.created_at,
        }
        instance.private = private
    return private


def _host_key(algorithm: str, blob: bytes) -> Wire:
    """A host key as GetInstanceAccessDetails shows it, but for when it was recorded."""
    sha1, sha256 = ssh_forms.openssh_fingerprints(blob)
    return {
        "algorithm": algorithm,
        "publicKey": base64.b64encode(blob).decode("ascii"),
        "fingerprintSHA1": sha1,
        "fingerprintSHA256": sha256,
    }


def _witnessed(context: RequestContext, instance: Resource) -> float:
    """When Lightsail recorded the instance's keys; now, if it had forgotten them."""
    kept = _kept(instance)
    if kept["witnessedAt"] is None:
        instance.private = {**kept, "witnessedAt": context.now}
        return context.now
    return float(kept["witnessedAt"])


def _ssh_host_keys(instance: Resource, witnessed: float) -> list[Wire]:
    at = wire_time(witnessed)
    return [
        {
            "algorithm": key["algorithm"],
            "publicKey": key["publicKey"],
            "witnessedAt": at,
            "fingerprintSHA1": key["fingerprintSHA1"],
            "fingerprintSHA256": key["fingerprintSHA256"],
        }
        for key in _kept(instance)["hostKeys"]
    ]


def _rdp_host_keys(instance: Resource, witnessed: float) -> list[Wire]:
    certificate = _kept(instance)["rdpCertificate"]
    der = base64.b64decode(certificate)
    return [
        {
            "algorithm": "x509-cert",
            "publicKey": certificate,
            "witnessedAt": wire_time(witnessed),
            "fingerprintSHA1": ssh_forms.colon_hex(hashlib.sha1(der, usedforsecurity=False).digest()),
            "fingerprintSHA256": ssh_forms.colon_hex(hashlib.sha256(der).digest()),
            "notValidBefore": wire_time(instance.created_at),
            "notValidAfter": wire_time(instance.created_at + _RDP_CERTIFICATE_SECONDS),
        }
    ]


# -- the operations ---------------------------------------------------------------------------


def _addresses(instance: Resource) -> Wire:
    found: Wire = {}
    if "publicIpAddress" in instance.body:
        found["ipAddress"] = instance.body["publicIpAddress"]
    if instance.body.get("ipv6Addresses"):
        found["ipv6Addresses"] = list(instance.body["ipv6Addresses"])
    return found


def get_instance_access_details(context: RequestContext, params: dict[str, Any]) -> Wire:
    instance = _find(context, params)
    native = "rdp" if _is_windows(instance) else "ssh"
    protocol = params.get("protocol", native)
    if protocol != native:
        platform = "Windows" if native == "rdp" else "Linux/Unix"
        raise InvalidInputException(
            f"The instance {instance.name} runs a {platform} blueprint: it is reached over {native}, not {protocol}",
            code="InvalidProtocol",
        )
    witnessed = _witnessed(context, instance)
    username = instance.body["username"]
    if protocol == "rdp":
        kept = _kept(instance)
        key_pair = instance.body["sshKeyName"]
        return {
            "accessDetails": {
                **_addresses(instance),
                "password": kept["password"] if key_pair == DEFAULT_KEY_PAIR else "",
                "passwordData": {"ciphertext": kept["ciphertext"], "keyPairName": key_pair},
                "protocol": protocol,
                "instanceName": instance.name,
                "username": username,
                "hostKeys": _rdp_host_keys(instance, witnessed),
            }
        }
    expires = context.now + ACCESS_SECONDS
    certificate = ssh_forms.user_certificate(
        f"{context.account_id}:{instance.name}:{int(context.now)}",
        username,
        max(0, int(context.now) - 60),
        int(expires),
    )
    return {
        "accessDetails": {
            "certKey": certificate,
            "expiresAt": wire_time(expires),
            **_addresses(instance),
            "privateKey": ssh_forms.rsa_private_pem() + "\n",
            "protocol": protocol,
            "instanceName": instance.name,
            "username": username,
            "hostKeys": _ssh_host_keys(instance, witnessed),
        }
    }


def delete_known_host_keys(context: RequestContext, params: dict[str, Any]) -> Wire:
    instance = _find(context, params)
    instance.private = {**_kept(instance), "witnessedAt": None}
    return {"operations": [family.operation_on(context, instance, "DeleteKnownHostKeys")]}


def _metadata_state(instance: Resource) -> str | None:
    state = instance.body["metadataOptions"]["state"]
    return None if state is None else str(state)


def _set_metadata_state(instance: Resource, state: str) -> None:
    instance.update(metadataOptions={**instance.body["metadataOptions"], "state": state})


#: The ``state`` of an instance's ``metadataOptions``: what UpdateInstanceMetadataOptions moves.
METADATA = Facet("metadataOptions", _metadata_state, _set_metadata_state)
_OPTIONS = ("httpTokens", "httpEndpoint", "httpPutResponseHopLimit", "httpProtocolIpv6")


def update_instance_metadata_options(context: RequestContext, params: dict[str, Any]) -> Wire:
    instance = _find(context, params)
    if instance.state not in (RUNNING, STOPPED):
        raise OperationFailureException(
            f"The instance {instance.name} is {instance.state}: its metadata options can be changed only "
            "while it is running or stopped",
            code="InvalidInstanceState",
        )
    limit = params.get("httpPutResponseHopLimit")
    if limit is not None and limit not in _HOP_LIMITS:
        raise InvalidInputException(f"httpPutResponseHopLimit must be 1 to 64: {quoted(limit)}", code="ValidationError")
    if "httpProtocolIpv6" in params and context.region != _IPV6_METADATA_REGION:
        raise InvalidInputException(
            f"httpProtocolIpv6 is available only for instances in {_IPV6_METADATA_REGION}, not {context.region}",
            code="ValidationError",
        )
    changes = {name: params[name] for name in _OPTIONS if name in params}
    instance.update(metadataOptions={**instance.body["metadataOptions"], **changes})
    if instance.state == RUNNING:
        family.begin_transition(context, instance, interim="pending", final="applied", facet=METADATA)
        status = "Started"
    else:
        _set_metadata_state(instance, "applied")
        status = "Succeeded"
    return {"operation": family.operation_on(context, instance, "UpdateInstanceMetadataOptions", status=status)}


FAMILY = Family(
    title="Instance access",
    operations={
        "GetInstanceAccessDetails": get_instance_access_details,
        "DeleteKnownHostKeys": delete_known_host_keys,
        "UpdateInstanceMetadataOptions": update_instance_metadata_options,
    },
)
