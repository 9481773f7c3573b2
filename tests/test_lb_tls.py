"""HTTPS on a load balancer through boto3: TLS certificates, their validation, attachment,
the attributes UpdateLoadBalancerAttribute sets and the TLS policies
(docs/service-reference.md §15)."""

from __future__ import annotations

from typing import Any

import pytest

from lightmock import LightsailMock
from tests.helpers import create_instances, create_load_balancer

Client = Any


def _balancer(client: Client, name: str = "front") -> dict[str, Any]:
    balancer: dict[str, Any] = client.get_load_balancer(loadBalancerName=name)["loadBalancer"]
    return balancer


def _certificate(client: Client, name: str = "front-cert", balancer: str = "front") -> dict[str, Any]:
    result: dict[str, Any] = client.create_load_balancer_tls_certificate(
        loadBalancerName=balancer,
        certificateName=name,
        certificateDomainName="example.com",
        certificateAlternativeNames=["www.example.com"],
    )
    return result


def _tls(client: Client, balancer: str = "front") -> list[dict[str, Any]]:
    certificates: list[dict[str, Any]] = client.get_load_balancer_tls_certificates(loadBalancerName=balancer)[
        "tlsCertificates"
    ]
    return certificates


@pytest.fixture
def front(client: Client) -> Client:
    create_load_balancer(client, "front")
    return client


class TestCertificates:
    def test_create_reports_both_operations_and_the_balancer_lists_it(self, front: Client) -> None:
        operations = _certificate(front)["operations"]
        assert [(op["resourceType"], op["operationDetails"]) for op in operations] == [
            ("LoadBalancerTlsCertificate", "front"),
            ("LoadBalancer", "front-cert"),
        ]
        assert _balancer(front)["tlsCertificateSummaries"] == [{"name": "front-cert", "isAttached": False}]
        (certificate,) = _tls(front)
        assert certificate["loadBalancerName"] == "front"
        assert certificate["status"] == "PENDING_VALIDATION"
        assert certificate["subjectAlternativeNames"] == ["example.com", "www.example.com"]
        assert [record["domainName"] for record in certificate["domainValidationRecords"]] == [
            "example.com",
            "www.example.com",
        ]

    def test_a_create_load_balancer_with_a_certificate_makes_one(self, client: Client) -> None:
        create_load_balancer(client, "front", certificateName="first", certificateDomainName="example.com")
        assert [certificate["name"] for certificate in _tls(client)] == ["first"]

    def test_only_two_per_load_balancer(self, front: Client) -> None:
        _certificate(front, "one")
        _certificate(front, "two")
        with pytest.raises(front.exceptions.InvalidInputException, match="Only 2 certificates"):
            _certificate(front, "three")
        assert len(_tls(front)) == 2

    def test_validated_through_a_zone(self, front: Client) -> None:
        front.create_domain(domainName="example.com")
        _certificate(front)
        for record in _tls(front)[0]["domainValidationRecords"]:
            front.create_domain_entry(
                domainName="example.com",
                domainEntry={"name": record["name"], "type": "CNAME", "target": record["value"]},
            )
        (certificate,) = _tls(front)
        assert certificate["status"] == "ISSUED"
        assert certificate["issuer"] == "Amazon"
        assert certificate["subject"] == "CN=example.com"

    def test_attach_needs_an_issued_certificate(self, front: Client, ls: LightsailMock) -> None:
        _certificate(front)
        with pytest.raises(front.exceptions.InvalidInputException, match="ISSUED"):
            front.attach_load_balancer_tls_certificate(loadBalancerName="front", certificateName="front-cert")
        ls.validate_certificate("front-cert")
        operations = front.attach_load_balancer_tls_certificate(loadBalancerName="front", certificateName="front-cert")
        assert [op["resourceName"] for op in operations["operations"]] == ["front", "front-cert"]
        balancer = _balancer(front)
        assert balancer["tlsCertificateSummaries"] == [{"name": "front-cert", "isAttached": True}]
        assert (balancer["protocol"], balancer["publicPorts"]) == ("HTTP_HTTPS", [80, 443])
        assert _tls(front)[0]["isAttached"] is True

    def test_delete_and_the_balancer_s_certificates_go_with_it(self, front: Client, ls: LightsailMock) -> None:
        _certificate(front, "one")
        _certificate(front, "two")
        deleted = front.delete_load_balancer_tls_certificate(loadBalancerName="front", certificateName="one")
        assert {op["status"] for op in deleted["operations"]} == {"Started"}
        assert [certificate["name"] for certificate in _tls(front)] == ["two"]
        front.delete_load_balancer(loadBalancerName="front")
        create_load_balancer(front, "front")
        _certificate(front, "two")  # the name is free again
        with pytest.raises(front.exceptions.NotFoundException, match="does not exist"):
            front.delete_load_balancer_tls_certificate(loadBalancerName="front", certificateName="one")

    def test_the_attached_certificate_of_a_balancer_with_instances_needs_force(
        self, front: Client, ls: LightsailMock
    ) -> None:
        create_instances(front, "web-1")
        front.attach_instances_to_load_balancer(loadBalancerName="front", instanceNames=["web-1"])
        _certificate(front)
        ls.validate_certificate("front-cert")
        front.attach_load_balancer_tls_certificate(loadBalancerName="front", certificateName="front-cert")
        with pytest.raises(front.exceptions.InvalidInputException, match="force"):
            front.delete_load_balancer_tls_certificate(loadBalancerName="front", certificateName="front-cert")
        front.delete_load_balancer_tls_certificate(loadBalancerName="front", certificateName="front-cert", force=True)
        assert _balancer(front)["protocol"] == "HTTP"


class TestAttributes:
    def test_each_attribute_shows_in_get_load_balancer(self, front: Client) -> None:
        for name, value in [
            ("HealthCheckPath", "/healthz"),
            ("SessionStickinessEnabled", "true"),
            ("SessionStickiness_LB_CookieDurationSeconds", "3600"),
            ("TlsPolicyName", "TLS-FS-Res-1-2-2019-08"),
        ]:
            operation = front.update_load_balancer_attribute(
                loadBalancerName="front", attributeName=name, attributeValue=value
            )["operations"][0]
            assert operation["operationType"] == "UpdateLoadBalancerAttribute"
        balancer = _balancer(front)
        assert balancer["healthCheckPath"] == "/healthz"
        assert balancer["configurationOptions"] == {
            "SessionStickinessEnabled": "true",
            "SessionStickiness_LB_CookieDurationSeconds": "3600",
        }
        assert balancer["tlsPolicyName"] == "TLS-FS-Res-1-2-2019-08"

    def test_https_redirection_needs_an_attached_valid_certificate(self, front: Client, ls: LightsailMock) -> None:
        def redirect(value: str) -> Any:
            return front.update_load_balancer_attribute(
                loadBalancerName="front", attributeName="HttpsRedirectionEnabled", attributeValue=value
            )

        with pytest.raises(front.exceptions.InvalidInputException, match="certificate attached"):
            redirect("true")
        _certificate(front)
        with pytest.raises(front.exceptions.InvalidInputException, match="certificate attached"):
            redirect("true")
        assert _balancer(front)["httpsRedirectionEnabled"] is False
        ls.validate_certificate("front-cert")
        front.attach_load_balancer_tls_certificate(loadBalancerName="front", certificateName="front-cert")
        redirect("true")
        assert _balancer(front)["httpsRedirectionEnabled"] is True
        redirect("false")
        assert _balancer(front)["httpsRedirectionEnabled"] is False

    @pytest.mark.parametrize(
        ("name", "value", "words"),
        [
            ("HealthCheckPath", "healthz", "must start with '/'"),
            ("SessionStickinessEnabled", "yes", "true or false"),
            ("SessionStickiness_LB_CookieDurationSeconds", "0", "seconds"),
            ("TlsPolicyName", "TLS-1999-01", "GetLoadBalancerTlsPolicies lists"),
        ],
    )
    def test_refused_values_change_nothing(self, front: Client, name: str, value: str, words: str) -> None:
        before = _balancer(front)
        with pytest.raises(front.exceptions.InvalidInputException, match=words):
            front.update_load_balancer_attribute(loadBalancerName="front", attributeName=name, attributeValue=value)
        assert _balancer(front) == before


class TestPolicies:
    def test_the_policies_and_the_default(self, client: Client) -> None:
        policies = client.get_load_balancer_tls_policies()["tlsPolicies"]
        assert [policy["name"] for policy in policies if policy["isDefault"]] == ["TLS-2016-08"]
        assert all(policy["protocols"] and policy["ciphers"] for policy in policies)

    def test_create_load_balancer_refuses_a_policy_not_listed(self, client: Client) -> None:
        """A name that matches the model's pattern but is not a policy (CreateLoadBalancer doc)."""
        with pytest.raises(client.exceptions.InvalidInputException, match="does not exist"):
            create_load_balancer(client, "front", tlsPolicyName="TLS-1999-01")
        assert client.get_load_balancers()["loadBalancers"] == []
        create_load_balancer(client, "front", tlsPolicyName="TLS-FS-1-1-2019-08")
        assert _balancer(client)["tlsPolicyName"] == "TLS-FS-1-1-2019-08"
