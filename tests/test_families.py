"""The contract every declared family keeps, run over the family table.

A kind declared in ``lightmock.service.families.TABLE`` is tested here by being declared:
its example (``EXAMPLES``: how a client makes one) is the only thing a new family adds,
and a kind without one fails ``test_every_kind_has_an_example``. Each test goes through a
real boto3 client; every response is also checked against the model's output shape
(``conftest``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore
import pytest
from botocore import xform_name
from botocore.model import ListShape

from lightmock import LightsailMock, mock_lightsail
from lightmock.core.domain import ResourceType
from lightmock.schema.model import service_model
from lightmock.service.families import TABLE
from lightmock.service.kinds import Kind
from tests.helpers import REGION, T0, create_database, create_instances, create_load_balancer

Client = Any


@dataclass(frozen=True)
class Example:
    """How a client makes a resource of one kind, named ``name`` (after ``setup``, once per test).
    ``named`` is False for a kind the service names itself (a peered VPC): the tests that
    find a record by the name given skip it."""

    create: Callable[[Client, str], Any]
    setup: Callable[[Client], Any] = field(default=lambda client: None)
    named: bool = True


def _key_pair(client: Client, name: str) -> Any:
    return client.create_key_pair(keyPairName=name)


def _stack(client: Client) -> Any:
    """A CloudFormation stack record from a new export of the snapshot ``stack-source``."""
    export = client.export_snapshot(sourceSnapshotName="stack-source")["operations"][0]["resourceName"]
    entry = {
        "sourceName": export,
        "instanceType": "t2.micro",
        "portInfoSource": "DEFAULT",
        "availabilityZone": f"{REGION}a",
    }
    return client.create_cloud_formation_stack(instances=[entry])


#: One example per declared kind. A family adds its kinds' examples here.
EXAMPLES: dict[ResourceType, Example] = {
    ResourceType.INSTANCE: Example(lambda client, name: create_instances(client, name)),
    ResourceType.LOAD_BALANCER: Example(lambda client, name: create_load_balancer(client, name)),
    ResourceType.RELATIONAL_DATABASE: Example(lambda client, name: create_database(client, name)),
    ResourceType.STATIC_IP: Example(lambda client, name: client.allocate_static_ip(staticIpName=name)),
    ResourceType.KEY_PAIR: Example(_key_pair),
    ResourceType.DOMAIN: Example(lambda client, name: client.create_domain(domainName=name)),
    ResourceType.LOAD_BALANCER_TLS_CERTIFICATE: Example(
        lambda client, name: client.create_load_balancer_tls_certificate(
            loadBalancerName="tls-front", certificateName=name, certificateDomainName="example.com"
        ),
        lambda client: create_load_balancer(client, "tls-front"),
    ),
    ResourceType.DISTRIBUTION: Example(
        lambda client, name: client.create_distribution(
            distributionName=name,
            origin={"name": "origin-1", "regionName": REGION},
            defaultCacheBehavior={"behavior": "cache"},
            bundleId="small_1_0",
        ),
        lambda client: create_instances(client, "origin-1"),
    ),
    ResourceType.CERTIFICATE: Example(
        lambda client, name: client.create_certificate(certificateName=name, domainName="example.com")
    ),
    ResourceType.DISK: Example(
        lambda client, name: client.create_disk(diskName=name, availabilityZone=f"{REGION}a", sizeInGb=8)
    ),
    ResourceType.INSTANCE_SNAPSHOT: Example(
        lambda client, name: client.create_instance_snapshot(instanceSnapshotName=name, instanceName="snapshot-source"),
        lambda client: create_instances(client, "snapshot-source"),
    ),
    ResourceType.DISK_SNAPSHOT: Example(
        lambda client, name: client.create_disk_snapshot(diskSnapshotName=name, instanceName="snapshot-source"),
        lambda client: create_instances(client, "snapshot-source"),
    ),
    # The service names an export's record; the example exports a snapshot of the name given.
    ResourceType.EXPORT_SNAPSHOT_RECORD: Example(
        lambda client, name: (
            client.create_instance_snapshot(instanceSnapshotName=name, instanceName="snapshot-source"),
            client.export_snapshot(sourceSnapshotName=name),
        ),
        lambda client: create_instances(client, "snapshot-source"),
    ),
    ResourceType.BUCKET: Example(lambda client, name: client.create_bucket(bucketName=name, bundleId="small_1_0")),
    ResourceType.CONTAINER_SERVICE: Example(
        lambda client, name: client.create_container_service(serviceName=name, power="nano", scale=1)
    ),
    ResourceType.RELATIONAL_DATABASE_SNAPSHOT: Example(
        lambda client, name: client.create_relational_database_snapshot(
            relationalDatabaseName="snapshot-source", relationalDatabaseSnapshotName=name
        ),
        lambda client: create_database(client, "snapshot-source"),
    ),
    ResourceType.PEERED_VPC: Example(lambda client, name: client.peer_vpc(), named=False),
    # The service names a stack record: the example makes one from an export of an instance snapshot.
    ResourceType.CLOUD_FORMATION_STACK_RECORD: Example(
        lambda client, name: _stack(client),
        lambda client: (
            create_instances(client, "stack-source-vm"),
            client.create_instance_snapshot(instanceSnapshotName="stack-source", instanceName="stack-source-vm"),
        ),
        named=False,
    ),
    ResourceType.SUBDOMAIN: Example(lambda client, name: client.create_subdomain(subdomainName=name)),
}

#: The operations newer than the oldest botocore lightmock supports (1.42.83), which the suite
#: also runs on: its model lacks them, and lightmock answers them only where the model has them.
NEWER_THAN_OLDEST_BOTOCORE = frozenset(
    {
        "CheckSubdomainAvailability",
        "CreateSubdomain",
        "DeleteSubdomain",
        "GetSubdomains",
        "UpdateSubdomainAssociation",
        "GetProfile",
    }
)


def _missing_from_model(kind: Kind) -> list[str]:
    """The operations of the kind's family that the installed botocore's model lacks."""
    modeled = set(service_model().operation_names)
    family = next(family for family in TABLE.families if kind in family.kinds)
    return sorted(set(family.operations) - modeled)


def _kinds(chosen: Callable[[Kind], bool] = lambda kind: True) -> list[Any]:
    """The declared kinds ``chosen`` picks, sorted, each skipped where the installed model lacks
    its family's operations (an older botocore)."""
    kinds = sorted((kind for kind in TABLE.kinds.values() if chosen(kind)), key=lambda kind: kind.resource_type.value)
    return [
        pytest.param(
            kind,
            id=kind.resource_type.value,
            marks=pytest.mark.skipif(
                bool(_missing_from_model(kind)),
                reason=f"botocore {botocore.__version__}'s Lightsail model lacks "
                f"{', '.join(_missing_from_model(kind))}",
            ),
        )
        for kind in kinds
    ]


def _shows_resource_type(kind: Kind) -> bool:
    """Whether the model's shape of the kind's record has ``resourceType`` (a ``Subdomain`` has none)."""
    assert kind.get is not None
    operation, member = kind.get
    output = service_model().operation_model(operation).output_shape
    assert output is not None
    shape = output.members[member]
    record = shape.member if isinstance(shape, ListShape) else shape
    return "resourceType" in getattr(record, "members", {})


@pytest.fixture
def mock() -> Iterator[LightsailMock]:
    with mock_lightsail(page_size=2) as ls:
        ls.clock.freeze(T0)
        yield ls


@pytest.fixture
def lightsail(mock: LightsailMock) -> Client:
    return boto3.client("lightsail", region_name=REGION)


def _make(client: Client, kind: Kind, *names: str) -> None:
    example = EXAMPLES[kind.resource_type]
    example.setup(client)
    for name in names:
        example.create(client, name)


def _get(client: Client, kind: Kind, name: str) -> dict[str, Any]:
    """The record by the kind's Get, or by its list naming one (GetDistributions(distributionName=...))."""
    if kind.get is None:
        assert kind.listing is not None
        operation, member = kind.listing
        (listed,) = getattr(client, xform_name(operation))(**{kind.name_member: name})[member]
        return dict(listed)
    operation, member = kind.get
    found = getattr(client, xform_name(operation))(**{kind.name_member: name})[member]
    # A kind read through its list operation filtered by name (GetBuckets) answers a list of one.
    record: dict[str, Any] = found[0] if isinstance(found, list) else found
    return record


def _list_all(client: Client, kind: Kind) -> list[str]:
    assert kind.listing is not None
    operation, member = kind.listing
    names: list[str] = []
    token: str | None = None
    while True:
        page = getattr(client, xform_name(operation))(**({"pageToken": token} if token else {}))
        names += [record[kind.form.name_member] for record in page[member]]
        token = page.get("nextPageToken")
        if not token:
            return names


def test_every_kind_has_an_example() -> None:
    """A declared kind without an example here fails: a new family is tested by being declared."""
    assert sorted(TABLE.kinds) == sorted(EXAMPLES)


def test_operations_are_declared_once_and_in_the_model() -> None:
    """Every family's operations are Lightsail operations, each answered by one family (an older
    botocore's model lacks the operations newer than it, and only those)."""
    seen: list[str] = [name for family in TABLE.families for name in family.operations]
    assert len(seen) == len(set(seen))
    assert set(seen) - set(service_model().operation_names) <= NEWER_THAN_OLDEST_BOTOCORE


@pytest.mark.parametrize("kind", _kinds(lambda kind: kind.get is not None))
class TestRecords:
    def test_get_returns_the_record_where_it_lives(self, lightsail: Client, kind: Kind) -> None:
        """Get names the record, its type, its ARN and its location (a zone for a zoned kind, else ``all``)."""
        _make(lightsail, kind, "contract-1")
        record = _get(lightsail, kind, "contract-1")
        assert record[kind.form.name_member] == "contract-1"
        if _shows_resource_type(kind):
            assert record["resourceType"] == kind.resource_type.value
        region = kind.location or REGION  # an account-wide kind (a DNS zone) shows "global"
        assert record["arn"].startswith(f"arn:aws:lightsail:{region}:")
        assert f":{kind.resource_type.value}/" in record["arn"]
        assert record["location"]["regionName"] == region
        zone = record["location"]["availabilityZone"]
        assert zone.startswith(REGION) if kind.zoned else zone == "all"

    def test_a_missing_one_is_not_found(self, lightsail: Client, kind: Kind) -> None:
        """Get of a name never created is a NotFoundException that says it does not exist."""
        with pytest.raises(lightsail.exceptions.NotFoundException, match="does not exist"):
            _get(lightsail, kind, "never-made")

    def test_a_name_in_use_is_refused(self, lightsail: Client, kind: Kind) -> None:
        """Creating a second one of the same name is refused, and the first stays as it was."""
        _make(lightsail, kind, "contract-1")
        before = _get(lightsail, kind, "contract-1")
        with pytest.raises(lightsail.exceptions.InvalidInputException, match="already in use"):
            EXAMPLES[kind.resource_type].create(lightsail, "contract-1")
        assert _get(lightsail, kind, "contract-1") == before


@pytest.mark.parametrize("kind", _kinds(lambda kind: kind.listing is not None))
def test_the_list_pages_through_every_record_once(lightsail: Client, kind: Kind) -> None:
    """Five records in pages of two: each listed once, oldest first."""
    names = [f"contract-{index}" for index in range(5)]
    _make(lightsail, kind, *names)
    assert _list_all(lightsail, kind) == names


@pytest.mark.parametrize("kind", _kinds(lambda kind: kind.delete is not None))
def test_delete_removes_it_and_logs_an_operation(lightsail: Client, kind: Kind) -> None:
    """Delete reports an operation on the resource, the operation log has it, and the record is gone."""
    _make(lightsail, kind, "contract-1", "contract-2")
    assert kind.delete is not None
    deleted = getattr(lightsail, xform_name(kind.delete))(**{kind.name_member: "contract-1"})
    operations = deleted.get("operations") or ([deleted["operation"]] if "operation" in deleted else [])
    logged = lightsail.get_operations_for_resource(resourceName="contract-1")["operations"]
    if operations:
        assert operations[-1]["resourceName"] == "contract-1"
        assert operations[-1]["id"] in {operation["id"] for operation in logged}
    else:  # a delete whose response carries no operation (DeleteContainerService) still logs one
        assert kind.delete in {operation.get("operationType") for operation in logged}
    with pytest.raises(lightsail.exceptions.NotFoundException, match="does not exist"):
        _get(lightsail, kind, "contract-1")
    with pytest.raises(lightsail.exceptions.NotFoundException):
        getattr(lightsail, xform_name(kind.delete))(**{kind.name_member: "contract-1"})
    assert _get(lightsail, kind, "contract-2")[kind.form.name_member] == "contract-2"


@pytest.mark.parametrize("kind", _kinds(lambda kind: kind.taggable))
def test_tags_are_kept_and_shown_where_the_shape_has_them(lightsail: Client, kind: Kind) -> None:
    """TagResource reaches the record; its tags show in its record where the model's shape has them,
    and count towards the limit where it does not."""
    _make(lightsail, kind, "contract-1")
    lightsail.tag_resource(resourceName="contract-1", tags=[{"key": "team", "value": "ops"}])
    readable = kind.get is not None or kind.listing is not None
    record = _get(lightsail, kind, "contract-1") if readable else {}
    if kind.form.tags_shown:
        assert {"key": "team", "value": "ops"} in record["tags"]
    else:
        assert "tags" not in record
        many = [{"key": f"k{index}", "value": "v"} for index in range(50)]
        with pytest.raises(lightsail.exceptions.InvalidInputException, match="at most 50 tags"):
            lightsail.tag_resource(resourceName="contract-1", tags=many)
    lightsail.untag_resource(resourceName="contract-1", tagKeys=["team"])
    if kind.form.tags_shown and readable:
        assert "team" not in {tag["key"] for tag in _get(lightsail, kind, "contract-1")["tags"]}


@pytest.mark.parametrize(
    "kind",
    _kinds(lambda kind: kind.resource_type not in EXAMPLES or EXAMPLES[kind.resource_type].named),
)
def test_a_create_is_in_the_operation_log(lightsail: Client, kind: Kind) -> None:
    """Making one logs at least one operation on it, which GetOperation finds by id."""
    _make(lightsail, kind, "contract-1")
    logged = lightsail.get_operations_for_resource(resourceName="contract-1")["operations"]
    assert logged
    assert lightsail.get_operation(operationId=logged[0]["id"])["operation"]["resourceName"] == "contract-1"
