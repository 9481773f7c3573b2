"""The calls Terraform's AWS provider makes for its Lightsail resources, mimicked through a
real boto3 client: create, wait on each returned operation with GetOperation until
``Succeeded``, re-read, change tags, destroy. The provider fails when GetOperation is
missing or never reports ``Succeeded``, and plans a change forever when a re-read does not
show what it set (issue 14 builds a server for Terraform on this)."""

from __future__ import annotations

from typing import Any

Client = Any


def _wait(client: Client, operations: list[dict[str, Any]]) -> None:
    """The provider's ``waitOperation``: poll GetOperation until Succeeded or Completed."""
    for operation in operations:
        status = client.get_operation(operationId=operation["id"])["operation"]["status"]
        assert status in ("Succeeded", "Completed"), f"{operation.get('operationType')} is {status}"


def test_apply_replan_destroy(client: Client) -> None:
    created = client.create_key_pair(keyPairName="deploy", tags=[{"key": "env", "value": "ci"}])
    _wait(client, [created["operation"]])
    _wait(
        client,
        client.create_instances(
            instanceNames=["web-1"],
            availabilityZone="us-east-1a",
            blueprintId="ubuntu_22_04",
            bundleId="nano_3_0",
            keyPairName="deploy",
            tags=[{"key": "env", "value": "ci"}],
        )["operations"],
    )
    _wait(client, client.allocate_static_ip(staticIpName="web-ip")["operations"])
    _wait(client, client.attach_static_ip(staticIpName="web-ip", instanceName="web-1")["operations"])
    _wait(client, client.create_load_balancer(loadBalancerName="lb-1", instancePort=80)["operations"])
    _wait(
        client,
        client.attach_instances_to_load_balancer(loadBalancerName="lb-1", instanceNames=["web-1"])["operations"],
    )
    _wait(
        client,
        [
            client.put_instance_public_ports(
                instanceName="web-1", portInfos=[{"fromPort": 443, "toPort": 443, "protocol": "tcp"}]
            )["operation"]
        ],
    )
    # A tag changed in the configuration: untag the removed key, tag the new one.
    _wait(client, client.untag_resource(resourceName="web-1", tagKeys=["env"])["operations"])
    _wait(client, client.tag_resource(resourceName="web-1", tags=[{"key": "env", "value": "prod"}])["operations"])

    # The re-read a plan makes: everything as the configuration says.
    instance = client.get_instance(instanceName="web-1")["instance"]
    static_ip = client.get_static_ip(staticIpName="web-ip")["staticIp"]
    assert instance["tags"] == [{"key": "env", "value": "prod"}]
    assert instance["sshKeyName"] == "deploy"
    assert instance["publicIpAddress"] == static_ip["ipAddress"]
    assert static_ip["attachedTo"] == "web-1"
    health = client.get_load_balancer(loadBalancerName="lb-1")["loadBalancer"]["instanceHealthSummary"]
    assert [entry["instanceName"] for entry in health] == ["web-1"]
    ports = client.get_instance_port_states(instanceName="web-1")["portStates"]
    assert [(p["fromPort"], p["toPort"], p["protocol"]) for p in ports] == [(443, 443, "tcp")]
    assert client.get_key_pair(keyPairName="deploy")["keyPair"]["tags"] == [{"key": "env", "value": "ci"}]

    # Destroy, in dependency order.
    _wait(
        client,
        client.detach_instances_from_load_balancer(loadBalancerName="lb-1", instanceNames=["web-1"])["operations"],
    )
    _wait(client, client.delete_load_balancer(loadBalancerName="lb-1")["operations"])
    _wait(client, client.detach_static_ip(staticIpName="web-ip")["operations"])
    _wait(client, client.release_static_ip(staticIpName="web-ip")["operations"])
    _wait(client, client.delete_instance(instanceName="web-1")["operations"])
    _wait(client, [client.delete_key_pair(keyPairName="deploy")["operation"]])
    assert client.get_instances()["instances"] == []
    assert client.get_static_ips()["staticIps"] == []
    assert client.get_key_pairs()["keyPairs"] == []
    assert client.get_load_balancers()["loadBalancers"] == []
