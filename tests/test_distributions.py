"""Distributions through boto3: origins, deployment, bundles, cache resets, certificates,
SetIpAddressType and metric data (docs/service-reference.md §16)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from lightmock import LightsailMock
from lightmock.core.exceptions import LightmockUsageError
from tests.helpers import OTHER_REGION, T0, create_distribution, create_instances, create_load_balancer, shared_client

Client = Any


def _create(client: Client, name: str = "cdn", origin: str = "web-1", **overrides: Any) -> dict[str, Any]:
    return create_distribution(client, name, origin, **overrides)


def _get(client: Client, name: str = "cdn") -> dict[str, Any]:
    (distribution,) = client.get_distributions(distributionName=name)["distributions"]
    return dict(distribution)


@pytest.fixture
def origin(client: Client) -> Client:
    create_instances(client, "web-1")
    return client


class TestCreate:
    def test_an_instance_origin_and_what_the_record_says(self, origin: Client) -> None:
        created = _create(
            origin,
            cacheBehaviors=[{"path": "/static/*", "behavior": "cache"}],
            cacheBehaviorSettings={"defaultTTL": 86400, "allowedHTTPMethods": "GET,HEAD"},
        )
        assert created["operation"]["operationType"] == "CreateDistribution"
        distribution = _get(origin)
        instance = origin.get_instance(instanceName="web-1")["instance"]
        assert distribution["origin"] == {
            "name": "web-1",
            "resourceType": "Instance",
            "regionName": "us-east-1",
            "protocolPolicy": "http-only",
        }
        assert distribution["originPublicDNS"] == instance["publicIpAddress"]
        assert distribution["domainName"].endswith(".cloudfront.net")
        assert distribution["status"] == "Deployed"
        assert distribution["isEnabled"] is True
        assert distribution["ableToUpdateBundle"] is True
        assert distribution["cacheBehaviors"] == [{"path": "/static/*", "behavior": "cache"}]
        assert distribution["cacheBehaviorSettings"] == {"defaultTTL": 86400, "allowedHTTPMethods": "GET,HEAD"}
        assert distribution["location"] == {"availabilityZone": "all", "regionName": "us-east-1"}

    def test_a_load_balancer_of_another_region(self, client: Client) -> None:
        west = shared_client(OTHER_REGION)
        create_load_balancer(west, "front")
        dns_name = west.get_load_balancer(loadBalancerName="front")["loadBalancer"]["dnsName"]
        client.create_distribution(
            distributionName="cdn",
            origin={"name": "front", "regionName": OTHER_REGION},
            defaultCacheBehavior={"behavior": "dont-cache"},
            bundleId="medium_1_0",
        )
        distribution = _get(client)
        assert (distribution["origin"]["resourceType"], distribution["originPublicDNS"]) == ("LoadBalancer", dns_name)

    def test_a_bucket_or_a_container_service(self, client: Client) -> None:
        """The other two kinds an origin can be (InputOrigin doc); the public name is their URL's host."""
        client.create_bucket(bucketName="assets-1", bundleId="small_1_0")
        client.create_container_service(serviceName="app", power="nano", scale=1)
        for name, origin in (("cdn-1", "assets-1"), ("cdn-2", "app")):
            client.create_distribution(
                distributionName=name,
                origin={"name": origin, "regionName": "us-east-1"},
                defaultCacheBehavior={"behavior": "cache"},
                bundleId="small_1_0",
            )
        bucket, service = _get(client, "cdn-1"), _get(client, "cdn-2")
        assert (bucket["origin"]["resourceType"], service["origin"]["resourceType"]) == ("Bucket", "ContainerService")
        assert bucket["originPublicDNS"] == "assets-1.s3.us-east-1.amazonaws.com"
        assert service["originPublicDNS"].endswith(".cs.amazonlightsail.com")

    def test_in_progress_until_deployed(self, origin: Client, ls: LightsailMock) -> None:
        ls.set_transitions("hold")
        _create(origin)
        assert _get(origin)["status"] == "InProgress"
        ls.finish_transitions("cdn")
        assert _get(origin)["status"] == "Deployed"

    @pytest.mark.parametrize(
        ("overrides", "words"),
        [
            ({"origin": "nothing"}, "no instance, load balancer"),
            ({"bundleId": "huge_9_9"}, "not a distribution bundle"),
            ({"certificateName": "none"}, "does not exist"),
        ],
    )
    def test_refused_creates_make_nothing(self, origin: Client, overrides: dict[str, Any], words: str) -> None:
        with pytest.raises(origin.exceptions.ClientError, match=words):
            _create(origin, **overrides)
        assert origin.get_distributions()["distributions"] == []

    def test_other_regions_refuse(self, origin: Client) -> None:
        west = shared_client(OTHER_REGION)
        with pytest.raises(west.exceptions.InvalidInputException) as raised:
            west.get_distributions()
        assert raised.value.response["code"] == "UnsupportedOperation"


class TestChanges:
    def test_update_replaces_what_it_names(self, origin: Client, ls: LightsailMock) -> None:
        _create(origin)
        ls.set_transitions("hold")
        operation = origin.update_distribution(
            distributionName="cdn", isEnabled=False, defaultCacheBehavior={"behavior": "dont-cache"}
        )["operation"]
        assert operation["operationType"] == "UpdateDistribution"
        distribution = _get(origin)
        assert (distribution["isEnabled"], distribution["defaultCacheBehavior"]) == (False, {"behavior": "dont-cache"})
        assert distribution["status"] == "InProgress"

    def test_the_bundle_changes_once_per_billing_cycle(self, origin: Client, ls: LightsailMock) -> None:
        ls.clock.freeze(T0)
        _create(origin)
        origin.update_distribution_bundle(distributionName="cdn", bundleId="medium_1_0")
        distribution = _get(origin)
        assert (distribution["bundleId"], distribution["ableToUpdateBundle"]) == ("medium_1_0", False)
        with pytest.raises(origin.exceptions.InvalidInputException, match="one time within your monthly"):
            origin.update_distribution_bundle(distributionName="cdn", bundleId="large_1_0")
        assert _get(origin)["bundleId"] == "medium_1_0"
        ls.clock.advance(days=5)  # T0 is 28 November: December is the next cycle
        assert _get(origin)["ableToUpdateBundle"] is True
        origin.update_distribution_bundle(distributionName="cdn", bundleId="large_1_0")

    def test_cache_resets(self, origin: Client) -> None:
        _create(origin)
        assert origin.get_distribution_latest_cache_reset(distributionName="cdn").keys() == {"ResponseMetadata"}
        reset = origin.reset_distribution_cache(distributionName="cdn")
        assert (reset["status"], reset["operation"]["operationType"]) == ("Completed", "ResetDistributionCache")
        latest = origin.get_distribution_latest_cache_reset(distributionName="cdn")
        assert (latest["status"], latest["createTime"]) == ("Completed", reset["createTime"])

    def test_bundles(self, client: Client) -> None:
        bundles = client.get_distribution_bundles()["bundles"]
        assert [bundle["bundleId"] for bundle in bundles] == ["small_1_0", "medium_1_0", "large_1_0"]

    def test_set_ip_address_type(self, origin: Client) -> None:
        _create(origin)
        operations = origin.set_ip_address_type(resourceType="Distribution", resourceName="cdn", ipAddressType="ipv4")
        assert operations["operations"][0]["operationType"] == "SetIpAddressType"
        assert _get(origin)["ipAddressType"] == "ipv4"


class TestCertificates:
    def test_attach_an_issued_one_and_detach(self, origin: Client, ls: LightsailMock) -> None:
        _create(origin)
        origin.create_certificate(
            certificateName="site", domainName="example.com", subjectAlternativeNames=["www.example.com"]
        )
        with pytest.raises(origin.exceptions.InvalidInputException, match="ISSUED"):
            origin.attach_certificate_to_distribution(distributionName="cdn", certificateName="site")
        ls.validate_certificate("site")
        origin.attach_certificate_to_distribution(distributionName="cdn", certificateName="site")
        distribution = _get(origin)
        assert distribution["certificateName"] == "site"
        assert distribution["alternativeDomainNames"] == ["example.com", "www.example.com"]
        detail = origin.get_certificates(certificateName="site")["certificates"][0]["certificateDetail"]
        assert detail["inUseResourceCount"] == 1
        with pytest.raises(origin.exceptions.InvalidInputException, match="in use"):
            origin.delete_certificate(certificateName="site")
        origin.detach_certificate_from_distribution(distributionName="cdn")
        assert "certificateName" not in _get(origin)
        origin.delete_certificate(certificateName="site")


def _requests_last_hour(client: Client) -> list[dict[str, Any]]:
    """The distribution ``cdn``'s Requests summed over the hour before ``T0``."""
    data: list[dict[str, Any]] = client.get_distribution_metric_data(
        distributionName="cdn",
        metricName="Requests",
        startTime=T0 - timedelta(hours=1),
        endTime=T0,
        period=3600,
        unit="None",
        statistics=["Sum"],
    )["metricData"]
    return data


class TestMetricData:
    def test_seeded_requests_are_read_back(self, origin: Client, ls: LightsailMock) -> None:
        ls.clock.freeze(T0)
        _create(origin)
        ls.put_metric_data("cdn", "Requests", [10.0, 20.0, 30.0])
        data = _requests_last_hour(origin)
        assert [point["sum"] for point in data] == [60.0]

    def test_a_distribution_cannot_be_alarmed(self, origin: Client, ls: LightsailMock) -> None:
        """A distribution's metrics are not among those an alarm can name: PutAlarm refuses
        metricName "Requests" as no value of its enum, though the resource it names is also a
        distribution with Requests data (seeding tells the distribution and the instance of
        the same name apart by the metric)."""
        _create(origin, name="web-1")
        ls.put_metric_data("web-1", "Requests", [1.0])
        ls.put_metric_data("web-1", "CPUUtilization", [50.0])
        with pytest.raises(LightmockUsageError, match="has no metric"):
            ls.put_metric_data("web-1", "NoSuchMetric", [1.0])
        with pytest.raises(origin.exceptions.InvalidInputException, match="'Requests' is not a valid value"):
            origin.put_alarm(
                alarmName="cdn-alarm",
                metricName="Requests",
                monitoredResourceName="web-1",
                comparisonOperator="GreaterThanThreshold",
                threshold=1.0,
                evaluationPeriods=1,
            )

    def test_deleting_it_forgets_its_data(self, origin: Client, ls: LightsailMock) -> None:
        ls.clock.freeze(T0)
        _create(origin)
        ls.put_metric_data("cdn", "Requests", [5.0])
        origin.delete_distribution(distributionName="cdn")
        _create(origin)
        data = _requests_last_hour(origin)
        assert data == []
