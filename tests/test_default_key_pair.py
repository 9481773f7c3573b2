"""The region's default key pair: DownloadDefaultKeyPair, GetKeyPairs' includeDefaultKeyPair,
and the instances launched with it, through a real boto3 client (docs/service-reference.md §12.7)."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import boto3
import pytest

from lightmock import LightsailMock
from tests.helpers import OTHER_REGION, T0, create_instances

Client = Any
DEFAULT = "LightsailDefaultKeyPair"


def _names(client: Client, **params: Any) -> list[str]:
    return [key_pair["name"] for key_pair in client.get_key_pairs(**params)["keyPairs"]]


def _md5(public_key: str) -> str:
    digest = hashlib.md5(base64.b64decode(public_key.split()[1])).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, 32, 2))


def test_made_on_the_first_download_the_same_thereafter(ls: LightsailMock, client: Client) -> None:
    first = client.download_default_key_pair()
    assert first["publicKeyBase64"].startswith("ssh-rsa AAAA")
    assert first["privateKeyBase64"].startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert first["createdAt"] == T0
    ls.clock.advance(hours=1)
    second = client.download_default_key_pair()
    for member in ("publicKeyBase64", "privateKeyBase64", "createdAt"):
        assert second[member] == first[member]
    record = client.get_key_pair(keyPairName=DEFAULT)["keyPair"]
    assert record["fingerprint"] == _md5(first["publicKeyBase64"])
    assert record["location"] == {"availabilityZone": "all", "regionName": "us-east-1"}


def test_one_per_region(ls: LightsailMock, client: Client) -> None:
    other = boto3.client("lightsail", region_name=OTHER_REGION)
    assert client.download_default_key_pair()["publicKeyBase64"] != other.download_default_key_pair()["publicKeyBase64"]


def test_listed_only_when_asked_for(client: Client) -> None:
    client.create_key_pair(keyPairName="mine")
    client.download_default_key_pair()
    assert _names(client) == ["mine"]
    assert _names(client, includeDefaultKeyPair=False) == ["mine"]
    assert sorted(_names(client, includeDefaultKeyPair=True)) == [DEFAULT, "mine"]
    assert client.get_active_names()["activeNames"] == ["mine"]


def test_an_instance_without_a_key_pair_makes_it(client: Client) -> None:
    """The API reference (DeleteKeyPair): "A new default key pair will not be created unless you
    launch an instance without specifying a custom key pair, or you call the
    DownloadDefaultKeyPair API"."""
    client.create_key_pair(keyPairName="mine")
    create_instances(client, "web-1", keyPairName="mine")
    assert _names(client, includeDefaultKeyPair=True) == ["mine"]
    create_instances(client, "web-2")
    assert client.get_instance(instanceName="web-2")["instance"]["sshKeyName"] == DEFAULT
    made = client.get_key_pair(keyPairName=DEFAULT)["keyPair"]
    create_instances(client, "web-3")
    assert client.get_key_pair(keyPairName=DEFAULT)["keyPair"] == made
    assert client.download_default_key_pair()["createdAt"] == made["createdAt"]


def test_deleted_like_any_other_then_made_anew(client: Client) -> None:
    first = client.download_default_key_pair()
    with pytest.raises(client.exceptions.InvalidInputException, match="expectedFingerprint"):
        client.delete_key_pair(keyPairName=DEFAULT, expectedFingerprint="00:11:22")
    fingerprint = _md5(first["publicKeyBase64"])
    client.delete_key_pair(keyPairName=DEFAULT, expectedFingerprint=fingerprint)
    with pytest.raises(client.exceptions.NotFoundException):
        client.get_key_pair(keyPairName=DEFAULT)
    assert client.download_default_key_pair()["publicKeyBase64"] != first["publicKeyBase64"]


def test_its_name_is_reserved(client: Client) -> None:
    with pytest.raises(client.exceptions.InvalidInputException, match="default key pair"):
        client.create_key_pair(keyPairName=DEFAULT)
    public_key = client.create_key_pair(keyPairName="mine")["publicKeyBase64"]
    with pytest.raises(client.exceptions.InvalidInputException, match="default key pair"):
        client.import_key_pair(keyPairName=DEFAULT, publicKeyBase64=public_key)
    assert _names(client, includeDefaultKeyPair=True) == ["mine"]
