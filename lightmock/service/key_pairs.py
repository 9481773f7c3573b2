"""Key pairs: CreateKeyPair, ImportKeyPair, GetKeyPair(s), DeleteKeyPair, DownloadDefaultKeyPair.

Records as the aws-cli examples show them (``create-key-pair``, ``get-key-pair``,
``delete-key-pair`` in https://github.com/aws/aws-cli/tree/develop/awscli/examples/lightsail):
location ``all``, support code ``<account code>/<name>``, a colon-separated fingerprint, one
terminal ``Succeeded`` operation.

The keys CreateKeyPair returns are well-formed (an OpenSSH ``ssh-rsa`` public key, a PEM
private key) but random: no SSH server would take them, and none needs to in a mock.
ImportKeyPair takes "A base64-encoded public key of the ssh-rsa type" (model doc of
``publicKeyBase64``): an OpenSSH line ``ssh-rsa <base64> [comment]``, as Terraform passes
its ``public_key``, or the base64 part alone. The key is read whole (``ssh_keys``): a blob
that is truncated, inconsistent or has bytes left over is not a key and is refused, and so
is a well-formed key of another type (``ACCEPTED_TYPES``).
The fingerprint is the MD5 of the public key's blob, in the colon form of the examples.

The operations have no ``operationType``: the service's (``CreateKeyPair``,
``DeleteKeyPair``) are not in the model's ``OperationType`` enum (docs/limits.md).

The region's **default key pair** (docs/service-reference.md §12.7) is a key pair record
named ``LightsailDefaultKeyPair`` (the name the model's ``PasswordData.keyPairName`` gives
it). DownloadDefaultKeyPair "creates a Lightsail default key pair if a default key pair
does not currently exist" and returns its keys, the same on every later call; "A new
default key pair will not be created unless you launch an instance without specifying a
custom key pair, or you call the DownloadDefaultKeyPair API", and DeleteKeyPair deletes it
like any other (API reference, DownloadDefaultKeyPair and DeleteKeyPair). GetKeyPair finds
it; GetKeyPairs lists it only with ``includeDefaultKeyPair``, and GetActiveNames not at all
(``Kind.unlisted``). Its name is the default's alone: CreateKeyPair and ImportKeyPair refuse
it (inferred).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource, ResourceForm
from lightmock.core.wire import Wire, request_tags, wire_time
from lightmock.service import family, ssh_forms, ssh_keys
from lightmock.service.catalogue import support_code
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family, Kind

_TYPE = ResourceType.KEY_PAIR
#: The name of the region's default key pair (model ``PasswordData.keyPairName``).
DEFAULT_KEY_PAIR = "LightsailDefaultKeyPair"


def is_default(key_pair: Resource) -> bool:
    return key_pair.name == DEFAULT_KEY_PAIR


KEY_PAIR = Kind(
    resource_type=_TYPE,
    name_member="keyPairName",
    get=("GetKeyPair", "keyPair"),
    listing=("GetKeyPairs", "keyPairs"),
    form=ResourceForm(state=None),
    unlisted=is_default,
)
_KEY_TYPE = ssh_keys.RSA
#: The key types ImportKeyPair takes: "A base64-encoded public key of the ssh-rsa type"
#: (model doc of ``ImportKeyPairRequest.publicKeyBase64``).
ACCEPTED_TYPES = frozenset({ssh_keys.RSA})


def _public_blob(public_key: str) -> bytes:
    """The blob of an importable public key, or ``InvalidInputException`` saying why not."""
    try:
        key = ssh_keys.parse(public_key)
    except ssh_keys.BadKey as problem:
        raise InvalidInputException(
            f"publicKeyBase64 is not a valid OpenSSH public key: the public key {problem} "
            "(expected 'ssh-rsa AAAA... [comment]')",
            code="InvalidKey",
        ) from None
    if key.key_type not in ACCEPTED_TYPES:
        raise InvalidInputException(
            f"publicKeyBase64 is a {key.key_type} key; ImportKeyPair takes an OpenSSH public key of the "
            f"{' or '.join(sorted(ACCEPTED_TYPES))} type",
            code="InvalidKey",
        )
    return key.blob


def _check_name(context: RequestContext, name: str) -> None:
    if name == DEFAULT_KEY_PAIR:
        raise InvalidInputException(
            f"{DEFAULT_KEY_PAIR} is the name of the region's default key pair: DownloadDefaultKeyPair makes it",
            code="NameExists",
        )
    family.check_names_free(context, KEY_PAIR, [name])


def _store(context: RequestContext, name: str, blob: bytes, tags: list[Wire], private: Wire | None = None) -> Resource:
    key_pair = family.new_record(
        context,
        KEY_PAIR,
        name,
        support_code=support_code(context.account_id, name),
        tags=tags,
        body={"fingerprint": ssh_forms.md5_fingerprint(blob)},
    )
    if private is not None:
        key_pair.private = private
    family.add(context, key_pair)
    return key_pair


def _operation(context: RequestContext, name: str) -> Wire:
    return context.operation(resource_name=name, resource_type=_TYPE, operation_type=None)


def create_key_pair(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = params["keyPairName"]
    _check_name(context, name)
    blob = ssh_forms.rsa_public_blob()
    key_pair = _store(context, name, blob, request_tags(params))
    return {
        "keyPair": key_pair.wire,
        "publicKeyBase64": ssh_forms.public_line(blob),
        "privateKeyBase64": ssh_forms.rsa_private_pem(),
        "operation": _operation(context, name),
    }


def import_key_pair(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = params["keyPairName"]
    _check_name(context, name)
    blob = _public_blob(params["publicKeyBase64"])
    _store(context, name, blob, [])
    return {"operation": _operation(context, name)}


def delete_key_pair(context: RequestContext, params: dict[str, Any]) -> Wire:
    key_pair = family.find(context, _TYPE, params["keyPairName"])
    expected = params.get("expectedFingerprint")
    if expected is not None and expected != key_pair.body["fingerprint"]:
        # "The RSA fingerprint of the Lightsail default key pair to delete" (model doc):
        # refused when it is not this key pair's, rather than delete what the caller did
        # not mean (any key pair, not only the default: inferred).
        raise InvalidInputException(
            f"expectedFingerprint {quoted(expected, bare=True)} is not the fingerprint of the key pair {key_pair.name}",
            code="FingerprintMismatch",
        )
    family.remove(context, key_pair)
    return {"operation": _operation(context, key_pair.name)}


def default_key_pair(context: RequestContext) -> Resource:
    """The region's default key pair, made now if it has none (DownloadDefaultKeyPair, or an
    instance launched without a key pair of its own)."""
    existing = context.state.resources[_TYPE].get(DEFAULT_KEY_PAIR)
    if existing is not None:
        return existing
    blob = ssh_forms.rsa_public_blob()
    keys = {"publicKeyBase64": ssh_forms.public_line(blob), "privateKeyBase64": ssh_forms.rsa_private_pem()}
    return _store(context, DEFAULT_KEY_PAIR, blob, [], private=keys)


def download_default_key_pair(context: RequestContext, params: dict[str, Any]) -> Wire:
    key_pair = default_key_pair(context)
    return {**key_pair.private, "createdAt": wire_time(key_pair.created_at)}


def _listed(params: dict[str, Any]) -> Callable[[Resource], bool] | None:
    """GetKeyPairs' filter: the default key pair only with ``includeDefaultKeyPair``."""
    if params.get("includeDefaultKeyPair"):
        return None
    return lambda key_pair: not is_default(key_pair)


FAMILY = Family(
    title="Key pairs",
    kinds=(KEY_PAIR,),
    operations={
        "CreateKeyPair": create_key_pair,
        "ImportKeyPair": import_key_pair,
        "DeleteKeyPair": delete_key_pair,
        **family.standard_operations(KEY_PAIR),
        "GetKeyPairs": family.list_handler(KEY_PAIR, keep=_listed),
        "DownloadDefaultKeyPair": download_default_key_pair,
    },
)
