"""Buckets through boto3: the record, global names, bundles, access keys, resource access,
UpdateBucket, DeleteBucket's refusals and bucket metric data (docs/service-reference.md §18)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import boto3
import pytest

from lightmock import LightsailMock, mock_lightsail
from tests.helpers import OTHER_REGION, T0, create_instances, race, shared_client

Client = Any


def _bucket(client: Client, name: str, **params: Any) -> dict[str, Any]:
    found: dict[str, Any] = client.get_buckets(bucketName=name, **params)["buckets"][0]
    return found


def _error(raised: pytest.ExceptionInfo[Exception]) -> tuple[str, str]:
    error = raised.value.response["Error"]  # type: ignore[attr-defined]
    return error["Code"], error["Message"]


class TestRecord:
    def test_create_answers_the_bucket_and_an_operation(self, client: Client) -> None:
        created = client.create_bucket(
            bucketName="assets-1", bundleId="small_1_0", tags=[{"key": "team", "value": "web"}]
        )
        bucket = created["bucket"]
        assert bucket["name"] == "assets-1"
        assert bucket["state"] == {"code": "OK"}
        assert bucket["url"] == "https://assets-1.s3.us-east-1.amazonaws.com/"
        assert bucket["objectVersioning"] == "NeverEnabled"
        assert bucket["accessRules"] == {"getObject": "private", "allowPublicOverrides": False}
        assert bucket["ableToUpdateBundle"] is True
        assert bucket["tags"] == [{"key": "team", "value": "web"}]
        assert [op["operationType"] for op in created["operations"]] == ["CreateBucket"]
        assert created["operations"][0]["resourceType"] == "Bucket"
        assert _bucket(client, "assets-1")["bundleId"] == "small_1_0"

    def test_versioning_at_creation(self, client: Client) -> None:
        client.create_bucket(bucketName="versioned", bundleId="small_1_0", enableObjectVersioning=True)
        assert _bucket(client, "versioned")["objectVersioning"] == "Enabled"

    def test_an_unknown_bundle_is_refused(self, client: Client) -> None:
        with pytest.raises(client.exceptions.InvalidInputException, match="bundle does not exist"):
            client.create_bucket(bucketName="assets-1", bundleId="huge_9_0")
        assert client.get_buckets()["buckets"] == []

    def test_get_of_a_missing_bucket_is_not_found(self, client: Client) -> None:
        with pytest.raises(client.exceptions.NotFoundException, match="does not exist"):
            client.get_buckets(bucketName="nothing-here")

    def test_bundles(self, client: Client) -> None:
        bundles = {bundle["bundleId"]: bundle for bundle in client.get_bucket_bundles()["bundles"]}
        assert bundles["small_1_0"]["storagePerMonthInGb"] == 5
        assert bundles["medium_1_0"]["price"] == 3.0
        assert all(bundle["isActive"] for bundle in bundles.values())


class TestGlobalNames:
    def test_a_name_is_taken_in_every_region(self, client: Client) -> None:
        client.create_bucket(bucketName="global-name", bundleId="small_1_0")
        west = boto3.client("lightsail", region_name=OTHER_REGION)
        with pytest.raises(west.exceptions.InvalidInputException, match="unique across all AWS accounts"):
            west.create_bucket(bucketName="global-name", bundleId="small_1_0")
        assert west.get_buckets()["buckets"] == []

    def test_a_name_is_taken_for_every_account(self, ls: LightsailMock, client: Client) -> None:
        client.create_bucket(bucketName="global-name", bundleId="small_1_0")
        with mock_lightsail(account_id="210987654321"):  # nested: the same store, another account
            other = boto3.client("lightsail", region_name="us-east-1")
            with pytest.raises(other.exceptions.InvalidInputException, match="another AWS account"):
                other.create_bucket(bucketName="global-name", bundleId="small_1_0")

    def test_a_deleted_name_can_be_used_again(self, client: Client) -> None:
        client.create_bucket(bucketName="global-name", bundleId="small_1_0")
        client.delete_bucket(bucketName="global-name")
        west = boto3.client("lightsail", region_name=OTHER_REGION)
        west.create_bucket(bucketName="global-name", bundleId="small_1_0")
        assert _bucket(west, "global-name")["location"]["regionName"] == OTHER_REGION


class TestBundleChanges:
    def test_once_a_month(self, ls: LightsailMock, client: Client) -> None:
        client.create_bucket(bucketName="assets-1", bundleId="small_1_0")
        changed = client.update_bucket_bundle(bucketName="assets-1", bundleId="medium_1_0")
        assert changed["operations"][0]["operationType"] == "UpdateBucketBundle"
        bucket = _bucket(client, "assets-1")
        assert (bucket["bundleId"], bucket["ableToUpdateBundle"]) == ("medium_1_0", False)
        with pytest.raises(client.exceptions.InvalidInputException, match="one time within a monthly"):
            client.update_bucket_bundle(bucketName="assets-1", bundleId="large_1_0")
        assert _bucket(client, "assets-1")["bundleId"] == "medium_1_0"
        ls.clock.advance(days=31 - T0.day + 5)  # into the next month
        assert _bucket(client, "assets-1")["ableToUpdateBundle"] is True
        client.update_bucket_bundle(bucketName="assets-1", bundleId="large_1_0")
        assert _bucket(client, "assets-1")["bundleId"] == "large_1_0"

    def test_the_same_bundle_or_an_unknown_one_is_refused(self, client: Client) -> None:
        client.create_bucket(bucketName="assets-1", bundleId="small_1_0")
        with pytest.raises(client.exceptions.InvalidInputException, match="already has the bundle"):
            client.update_bucket_bundle(bucketName="assets-1", bundleId="small_1_0")
        with pytest.raises(client.exceptions.InvalidInputException, match="bundle does not exist"):
            client.update_bucket_bundle(bucketName="assets-1", bundleId="tiny")
        assert _bucket(client, "assets-1")["ableToUpdateBundle"] is True


class TestAccessKeys:
    def test_the_secret_is_given_once(self, client: Client) -> None:
        client.create_bucket(bucketName="assets-1", bundleId="small_1_0")
        created = client.create_bucket_access_key(bucketName="assets-1")
        key = created["accessKey"]
        assert len(key["accessKeyId"]) == 20
        assert key["accessKeyId"].isalnum()
        assert len(key["secretAccessKey"]) == 40
        assert key["status"] == "Active"
        assert created["operations"][0]["operationType"] == "CreateBucketAccessKey"
        listed = client.get_bucket_access_keys(bucketName="assets-1")["accessKeys"]
        assert [entry["accessKeyId"] for entry in listed] == [key["accessKeyId"]]
        assert "secretAccessKey" not in listed[0]
        assert listed[0]["lastUsed"] == {"region": "N/A", "serviceName": "N/A"}

    def test_at_most_two_a_bucket(self, client: Client) -> None:
        client.create_bucket(bucketName="assets-1", bundleId="small_1_0")
        first = client.create_bucket_access_key(bucketName="assets-1")["accessKey"]["accessKeyId"]
        client.create_bucket_access_key(bucketName="assets-1")
        with pytest.raises(client.exceptions.InvalidInputException, match="maximum of two access keys"):
            client.create_bucket_access_key(bucketName="assets-1")
        assert len(client.get_bucket_access_keys(bucketName="assets-1")["accessKeys"]) == 2
        deleted = client.delete_bucket_access_key(bucketName="assets-1", accessKeyId=first)
        assert deleted["operations"][0]["operationType"] == "DeleteBucketAccessKey"
        client.create_bucket_access_key(bucketName="assets-1")
        keys = client.get_bucket_access_keys(bucketName="assets-1")["accessKeys"]
        assert len(keys) == 2
        assert first not in {entry["accessKeyId"] for entry in keys}

    def test_deleting_an_unknown_key_is_not_found(self, client: Client) -> None:
        client.create_bucket(bucketName="assets-1", bundleId="small_1_0")
        with pytest.raises(client.exceptions.NotFoundException, match="does not exist"):
            client.delete_bucket_access_key(bucketName="assets-1", accessKeyId="AKIAAAAAAAAAAAAAAAAA")


class TestResourceAccess:
    def test_allow_and_deny(self, client: Client) -> None:
        client.create_bucket(bucketName="assets-1", bundleId="small_1_0")
        create_instances(client, "web-1")
        allowed = client.set_resource_access_for_bucket(resourceName="web-1", bucketName="assets-1", access="allow")
        assert allowed["operations"][0]["operationType"] == "SetResourceAccessForBucket"
        assert "resourcesReceivingAccess" not in _bucket(client, "assets-1")
        connected = _bucket(client, "assets-1", includeConnectedResources=True)["resourcesReceivingAccess"]
        assert connected == [{"name": "web-1", "resourceType": "Instance"}]
        client.set_resource_access_for_bucket(resourceName="web-1", bucketName="assets-1", access="deny")
        assert _bucket(client, "assets-1", includeConnectedResources=True)["resourcesReceivingAccess"] == []

    def test_only_a_running_or_stopped_instance(self, ls: LightsailMock, client: Client) -> None:
        client.create_bucket(bucketName="assets-1", bundleId="small_1_0")
        ls.set_transitions("hold")
        create_instances(client, "web-1")
        with pytest.raises(client.exceptions.InvalidInputException, match="must be running or stopped"):
            client.set_resource_access_for_bucket(resourceName="web-1", bucketName="assets-1", access="allow")
        assert _bucket(client, "assets-1", includeConnectedResources=True)["resourcesReceivingAccess"] == []
        with pytest.raises(client.exceptions.NotFoundException):
            client.set_resource_access_for_bucket(resourceName="web-9", bucketName="assets-1", access="allow")

    def test_a_deleted_instance_loses_its_access(self, client: Client) -> None:
        client.create_bucket(bucketName="assets-1", bundleId="small_1_0")
        create_instances(client, "web-1")
        client.set_resource_access_for_bucket(resourceName="web-1", bucketName="assets-1", access="allow")
        client.delete_instance(instanceName="web-1")
        assert _bucket(client, "assets-1", includeConnectedResources=True)["resourcesReceivingAccess"] == []


class TestDelete:
    def test_refused_with_keys_or_connected_instances_unless_forced(self, client: Client) -> None:
        client.create_bucket(bucketName="assets-1", bundleId="small_1_0")
        client.create_bucket_access_key(bucketName="assets-1")
        create_instances(client, "web-1")
        client.set_resource_access_for_bucket(resourceName="web-1", bucketName="assets-1", access="allow")
        with pytest.raises(client.exceptions.InvalidInputException, match="access keys and has instances"):
            client.delete_bucket(bucketName="assets-1")
        assert len(client.get_bucket_access_keys(bucketName="assets-1")["accessKeys"]) == 1
        deleted = client.delete_bucket(bucketName="assets-1", forceDelete=True)
        assert deleted["operations"][0]["operationType"] == "DeleteBucket"
        assert client.get_buckets()["buckets"] == []


class TestUpdate:
    def test_access_rules_versioning_and_accounts(self, client: Client) -> None:
        client.create_bucket(bucketName="assets-1", bundleId="small_1_0")
        updated = client.update_bucket(
            bucketName="assets-1",
            accessRules={"getObject": "public"},
            versioning="Enabled",
            readonlyAccessAccounts=["111122223333"],
        )
        assert updated["operations"][0]["operationType"] == "UpdateBucket"
        bucket = _bucket(client, "assets-1")
        assert bucket["accessRules"] == {"getObject": "public", "allowPublicOverrides": False}
        assert bucket["objectVersioning"] == "Enabled"
        assert bucket["readonlyAccessAccounts"] == ["111122223333"]
        client.update_bucket(bucketName="assets-1", versioning="Suspended")
        assert _bucket(client, "assets-1")["objectVersioning"] == "Suspended"

    def test_refusals_change_nothing(self, client: Client) -> None:
        client.create_bucket(bucketName="assets-1", bundleId="small_1_0")
        before = _bucket(client, "assets-1")
        with pytest.raises(client.exceptions.InvalidInputException, match="maximum of 10"):
            client.update_bucket(
                bucketName="assets-1",
                accessRules={"getObject": "public"},
                readonlyAccessAccounts=[f"1111222233{index:02d}" for index in range(11)],
            )
        with pytest.raises(client.exceptions.InvalidInputException, match="Enabled or Suspended"):
            client.update_bucket(bucketName="assets-1", versioning="Sometimes")
        with pytest.raises(client.exceptions.NotFoundException):
            client.update_bucket(bucketName="assets-1", accessLogConfig={"enabled": True, "destination": "no-such"})
        with pytest.raises(client.exceptions.InvalidInputException, match="must be omitted"):
            client.update_bucket(bucketName="assets-1", accessLogConfig={"enabled": False, "destination": "assets-1"})
        assert _bucket(client, "assets-1") == before

    def test_access_logging(self, client: Client) -> None:
        client.create_bucket(bucketName="assets-1", bundleId="small_1_0")
        client.create_bucket(bucketName="logs-1", bundleId="small_1_0")
        config = {"enabled": True, "destination": "logs-1", "prefix": "logs/"}
        client.update_bucket(bucketName="assets-1", accessLogConfig=config)
        assert _bucket(client, "assets-1")["accessLogConfig"] == config
        client.update_bucket(bucketName="assets-1", accessLogConfig={"enabled": False})
        assert _bucket(client, "assets-1")["accessLogConfig"] == {"enabled": False}

    def test_cors_shows_only_where_the_service_shows_it(self, client: Client) -> None:
        client.create_bucket(bucketName="assets-1", bundleId="small_1_0")
        cors = {"rules": [{"allowedMethods": ["GET"], "allowedOrigins": ["https://example.com"], "maxAgeSeconds": 60}]}
        updated = client.update_bucket(bucketName="assets-1", cors=cors)
        assert updated["bucket"]["cors"] == cors
        assert "cors" not in _bucket(client, "assets-1")
        assert _bucket(client, "assets-1", includeCors=True)["cors"] == cors
        assert "cors" not in client.get_buckets(includeCors=True)["buckets"][0]


class TestMetrics:
    def test_seeded_daily_storage_metrics(self, ls: LightsailMock, client: Client) -> None:
        client.create_bucket(bucketName="assets-1", bundleId="small_1_0")
        days = [T0 - timedelta(days=3 - index) for index in range(3)]
        assert ls.put_metric_data("assets-1", "BucketSizeBytes", [1e6, 2e6, 4e6], timestamps=days) == 3
        data = client.get_bucket_metric_data(
            bucketName="assets-1",
            metricName="BucketSizeBytes",
            startTime=T0 - timedelta(days=4),
            endTime=T0,
            period=86400,
            statistics=["Maximum"],
            unit="Bytes",
        )["metricData"]
        assert sorted(point["maximum"] for point in data) == [1e6, 2e6, 4e6]
        assert {point["unit"] for point in data} == {"Bytes"}

    def test_a_bucket_cannot_be_watched_by_an_alarm(self, client: Client) -> None:
        client.create_bucket(bucketName="assets-1", bundleId="small_1_0")
        with pytest.raises(client.exceptions.InvalidInputException) as raised:
            client.put_alarm(
                alarmName="too-big",
                metricName="CPUUtilization",
                monitoredResourceName="assets-1",
                comparisonOperator="GreaterThanThreshold",
                threshold=1,
                evaluationPeriods=1,
            )
        assert "only Lightsail resources that can be monitored by alarms" in _error(raised)[1]
        assert client.get_alarms()["alarms"] == []


def test_objects_through_moto_beside_lightmock() -> None:
    """The pairing docs/limits.md describes: the bucket and its key from lightmock, its
    objects from moto's S3, reached with that key."""
    from moto import mock_aws  # here, not at the top: moto takes 0.2 s to import

    with mock_aws(), mock_lightsail():
        lightsail = boto3.client("lightsail", region_name="us-east-1")
        lightsail.create_bucket(bucketName="assets", bundleId="small_1_0")
        key = lightsail.create_bucket_access_key(bucketName="assets")["accessKey"]
        s3 = boto3.client(
            "s3",
            region_name="us-east-1",
            aws_access_key_id=key["accessKeyId"],
            aws_secret_access_key=key["secretAccessKey"],
        )
        s3.create_bucket(Bucket="assets")
        s3.put_object(Bucket="assets", Key="index.html", Body=b"<h1>hello</h1>")
        assert s3.get_object(Bucket="assets", Key="index.html")["Body"].read() == b"<h1>hello</h1>"
        assert lightsail.get_buckets()["buckets"][0]["name"] == "assets"


def test_one_name_one_bucket_under_threads(ls: LightsailMock) -> None:
    """Clients in eight Regions racing for one name: exactly one bucket is made."""
    regions = [
        "us-east-1",
        "us-east-2",
        "us-west-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "eu-central-1",
        "ap-south-1",
    ]
    clients = [shared_client(region) for region in regions]

    won = race(clients, lambda client: client.create_bucket(bucketName="contested", bundleId="small_1_0"))
    assert won.count(True) == 1
    assert sum(len(client.get_buckets()["buckets"]) for client in clients) == 1
