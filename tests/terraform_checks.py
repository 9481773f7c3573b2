"""Checks that Terraform configurations (``tests/terraform/*.tf``) name in their ``# check:``
line: each takes a boto3 client of the server and asserts what the apply made."""

from __future__ import annotations

from typing import Any


def database_postgres(client: Any) -> None:
    record = client.get_relational_database(relationalDatabaseName="reports-db")["relationalDatabase"]
    assert (record["engine"], record["state"], record["backupRetentionEnabled"]) == ("postgres", "available", False)
    assert (record["preferredMaintenanceWindow"], record["publiclyAccessible"]) == ("Tue:17:00-Tue:17:30", False)
    assert "latestRestorableTime" not in record
    password = client.get_relational_database_master_user_password(relationalDatabaseName="reports-db")
    assert password["masterUserPassword"] == "reports-password-1"


def disks(client: Any) -> None:
    disk = client.get_disk(diskName="data")["disk"]
    assert (disk["attachedTo"], disk["path"], disk["state"]) == ("db-host", "/dev/xvdf", "in-use")
    assert disk["tags"] == [{"key": "team", "value": "db"}]


def instance_auto_snapshot(client: Any) -> None:
    (add_on,) = client.get_instance(instanceName="backed-up")["instance"]["addOns"]
    assert (add_on["name"], add_on["status"], add_on["snapshotTimeOfDay"]) == ("AutoSnapshot", "Enabled", "06:00")


def key_pair_and_ip(client: Any) -> None:
    assert client.get_key_pair(keyPairName="ops")["keyPair"]["name"] == "ops"
    assert client.get_static_ip(staticIpName="spare")["staticIp"]["isAttached"] is False


def buckets(client: Any) -> None:
    bucket = client.get_buckets(bucketName="lightmock-tf-assets", includeConnectedResources=True)["buckets"][0]
    assert bucket["bundleId"] == "small_1_0"
    assert bucket["tags"] == [{"key": "team", "value": "web"}]
    assert bucket["resourcesReceivingAccess"] == [{"name": "tf-web-1", "resourceType": "Instance"}]
    assert len(client.get_bucket_access_keys(bucketName="lightmock-tf-assets")["accessKeys"]) == 1


def container_services(client: Any) -> None:
    service = client.get_container_services(serviceName="tf-web")["containerServices"][0]
    assert (service["state"], service["power"], service["scale"]) == ("RUNNING", "nano", 1)
    deployment = service["currentDeployment"]
    assert (deployment["version"], deployment["state"]) == (1, "ACTIVE")
    assert deployment["containers"]["app"]["environment"] == {"MODE": "production"}
    assert deployment["publicEndpoint"]["healthCheck"]["successCodes"] == "200-499"


def certificate(client: Any) -> None:
    (summary,) = client.get_certificates(certificateName="site")["certificates"]
    assert summary["certificateDetail"]["status"] == "ISSUED"
    assert summary["tags"] == [{"key": "team", "value": "web"}]


def distribution(client: Any) -> None:
    (cdn,) = client.get_distributions(distributionName="cdn")["distributions"]
    assert (cdn["status"], cdn["origin"]["resourceType"]) == ("Deployed", "Instance")
    assert cdn["cacheBehaviors"] == [{"path": "/static/*", "behavior": "cache"}]
    assert cdn["tags"] == [{"key": "team", "value": "web"}]


def dns_zone(client: Any) -> None:
    entries = client.get_domain(domainName="example.com")["domain"]["domainEntries"]
    made = {(entry["type"], entry["name"], entry["target"]) for entry in entries}
    assert {
        ("A", "example.com", "192.0.2.10"),
        ("CNAME", "www.example.com", "example.com"),
        ("TXT", "_dmarc.example.com", '"v=DMARC1; p=none"'),
        ("MX", "example.com", "10 mail.example.com"),
    } <= made


def lb_https(client: Any) -> None:
    balancer = client.get_load_balancer(loadBalancerName="front")["loadBalancer"]
    assert balancer["tlsCertificateSummaries"] == [{"name": "front-cert", "isAttached": True}]
    assert balancer["httpsRedirectionEnabled"] is True
    assert balancer["configurationOptions"] == {
        "SessionStickinessEnabled": "true",
        "SessionStickiness_LB_CookieDurationSeconds": "900",
    }
