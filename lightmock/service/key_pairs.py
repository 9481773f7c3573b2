"""Key pairs: CreateKeyPair, ImportKeyPair, GetKeyPair(s), DeleteKeyPair.

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
``includeDefaultKeyPair`` lists nothing more: lightmock has no default key pair record.
"""

from __future__ import annotations

import base64
import hashlib
import os
import struct
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource, ResourceForm
from lightmock.core.wire import Wire, request_tags
from lightmock.service import family, ssh_keys
from lightmock.service.catalogue import support_code
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family, Kind

_TYPE = ResourceType.KEY_PAIR

KEY_PAIR = Kind(
    resource_type=_TYPE,
    name_member="keyPairName",
    get=("GetKeyPair", "keyPair"),
    listing=("GetKeyPairs", "keyPairs"),
    form=ResourceForm(state=None),
)
_KEY_TYPE = ssh_keys.RSA
#: The key types ImportKeyPair takes: "A base64-encoded public key of the ssh-rsa type"
#: (model doc of ``ImportKeyPairRequest.publicKeyBase64``).
ACCEPTED_TYPES = frozenset({ssh_keys.RSA})


def _ssh_string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def _fingerprint(blob: bytes) -> str:
    digest = hashlib.md5(blob, usedforsecurity=False).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


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


def _store(context: RequestContext, name: str, blob: bytes, tags: list[Wire]) -> Resource:
    key_pair = family.new_record(
        context,
        KEY_PAIR,
        name,
        support_code=support_code(context.account_id, name),
        tags=tags,
        body={"fingerprint": _fingerprint(blob)},
    )
    family.add(context, key_pair)
    return key_pair


def _operation(context: RequestContext, name: str) -> Wire:
    return context.operation(resource_name=name, resource_type=_TYPE, operation_type=None)


def create_key_pair(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = params["keyPairName"]
    family.check_names_free(context, KEY_PAIR, [name])
    # The shape of a 2048-bit RSA modulus (odd, as a product of two odd primes is), random.
    modulus = b"\x00\xc1" + os.urandom(254) + bytes([os.urandom(1)[0] | 1])
    blob = _ssh_string(_KEY_TYPE.encode()) + _ssh_string(b"\x01\x00\x01") + _ssh_string(modulus)
    private = base64.encodebytes(os.urandom(1190)).decode("ascii")
    key_pair = _store(context, name, blob, request_tags(params))
    return {
        "keyPair": key_pair.wire,
        "publicKeyBase64": f"ssh-rsa {base64.b64encode(blob).decode('ascii')}",
        "privateKeyBase64": f"-----BEGIN RSA PRIVATE KEY-----\n{private}-----END RSA PRIVATE KEY-----",
        "operation": _operation(context, name),
    }


def import_key_pair(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = params["keyPairName"]
    family.check_names_free(context, KEY_PAIR, [name])
    blob = _public_blob(params["publicKeyBase64"])
    _store(context, name, blob, [])
    return {"operation": _operation(context, name)}


def delete_key_pair(context: RequestContext, params: dict[str, Any]) -> Wire:
    key_pair = family.find(context, _TYPE, params["keyPairName"])
    expected = params.get("expectedFingerprint")
    if expected is not None and expected != key_pair.body["fingerprint"]:
        # "The RSA fingerprint of the Lightsail default key pair to delete" (model doc);
        # lightmock has no default key pair, and refuses a fingerprint that is not this
        # key pair's rather than delete what the caller did not mean.
        raise InvalidInputException(
            f"expectedFingerprint {quoted(expected, bare=True)} is not the fingerprint of the key pair {key_pair.name}",
            code="FingerprintMismatch",
        )
    family.remove(context, key_pair)
    return {"operation": _operation(context, key_pair.name)}


FAMILY = Family(
    title="Key pairs",
    kinds=(KEY_PAIR,),
    operations={
        "CreateKeyPair": create_key_pair,
        "ImportKeyPair": import_key_pair,
        "DeleteKeyPair": delete_key_pair,
        **family.standard_operations(KEY_PAIR),
    },
)
