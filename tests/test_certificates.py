"""Lightsail certificates through boto3, their DNS validation through a zone, the handle
and the control API (docs/service-reference.md §14)."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from lightmock import LightsailMock
from lightmock.core.exceptions import LightmockUsageError
from lightmock.server import LightsailServer
from tests.serving import http_client

Client = Any


def _create(client: Client, name: str = "site", *alternatives: str) -> dict[str, Any]:
    params: dict[str, Any] = {"certificateName": name, "domainName": "example.com"}
    if alternatives:
        params["subjectAlternativeNames"] = list(alternatives)
    result: dict[str, Any] = client.create_certificate(**params)
    return result


def _detail(client: Client, name: str = "site") -> dict[str, Any]:
    detail: dict[str, Any] = client.get_certificates(certificateName=name)["certificates"][0]["certificateDetail"]
    return detail


def _add_validation_records(client: Client, detail: dict[str, Any]) -> None:
    for record in detail["domainValidationRecords"]:
        resource = record["resourceRecord"]
        client.create_domain_entry(
            domainName="example.com",
            domainEntry={"name": resource["name"], "type": resource["type"], "target": resource["value"]},
        )


class TestCreate:
    def test_a_new_certificate_waits_for_validation_of_each_name(self, client: Client) -> None:
        created = _create(client, "site", "www.example.com", "EXAMPLE.com")
        assert created["operations"][0]["operationType"] == "CreateCertificate"
        detail = created["certificate"]["certificateDetail"]
        assert detail["status"] == "PENDING_VALIDATION"
        assert detail["subjectAlternativeNames"] == ["example.com", "www.example.com"]
        records = detail["domainValidationRecords"]
        assert [record["domainName"] for record in records] == ["example.com", "www.example.com"]
        for record in records:
            resource = record["resourceRecord"]
            assert resource["type"] == "CNAME"
            assert resource["name"].endswith(f".{record['domainName']}.")
            assert resource["value"].endswith(".acm-validations.aws.")
            assert record["validationStatus"] == "PENDING_VALIDATION"
        assert detail["inUseResourceCount"] == 0

    @pytest.mark.parametrize(
        ("alternatives", "words"),
        [
            (["*.example.com"], "wildcard"),
            ([f"n{index}.example.com" for index in range(10)], "at most 9"),
            (["not a name"], "not a valid domain name"),
        ],
    )
    def test_refused_names_make_nothing(self, client: Client, alternatives: list[str], words: str) -> None:
        with pytest.raises(client.exceptions.InvalidInputException, match=words):
            _create(client, "site", *alternatives)
        assert client.get_certificates()["certificates"] == []

    def test_nine_alternatives_besides_the_domain_are_accepted(self, client: Client) -> None:
        _create(client, "site", "example.com", *[f"n{index}.example.com" for index in range(9)])
        assert len(_detail(client)["subjectAlternativeNames"]) == 10


class TestGetCertificates:
    def test_summaries_unless_details_are_asked_for(self, client: Client) -> None:
        _create(client, "one")
        _create(client, "two")
        (summary, _) = client.get_certificates()["certificates"]
        assert set(summary) == {"certificateArn", "certificateName", "domainName", "tags"}
        detailed = client.get_certificates(includeCertificateDetails=True)["certificates"]
        assert [item["certificateDetail"]["name"] for item in detailed] == ["one", "two"]

    def test_one_named_comes_with_its_detail_as_terraform_reads_it(self, client: Client) -> None:
        _create(client, "one")
        (named,) = client.get_certificates(certificateName="one")["certificates"]
        assert named["certificateDetail"]["domainName"] == "example.com"
        with pytest.raises(client.exceptions.NotFoundException, match="does not exist"):
            client.get_certificates(certificateName="other")

    def test_statuses_filter(self, client: Client, ls: LightsailMock) -> None:
        _create(client, "one")
        _create(client, "two")
        ls.validate_certificate("two")
        issued = client.get_certificates(certificateStatuses=["ISSUED"])["certificates"]
        assert [item["certificateName"] for item in issued] == ["two"]
        pending = client.get_certificates(certificateStatuses=["PENDING_VALIDATION"], certificateName="two")
        assert pending["certificates"] == []


class TestValidation:
    def test_the_records_in_a_zone_issue_it(self, client: Client) -> None:
        client.create_domain(domainName="example.com")
        detail = _create(client, "site", "www.example.com")["certificate"]["certificateDetail"]
        _add_validation_records(client, {"domainValidationRecords": detail["domainValidationRecords"][:1]})
        assert _detail(client)["status"] == "PENDING_VALIDATION"  # one name of two validated
        _add_validation_records(client, {"domainValidationRecords": detail["domainValidationRecords"][1:]})
        issued = _detail(client)
        assert issued["status"] == "ISSUED"
        assert {record["validationStatus"] for record in issued["domainValidationRecords"]} == {"SUCCESS"}
        assert issued["issuerCA"] == "Amazon"
        assert issued["notAfter"] > issued["notBefore"]

    def test_held_transitions_keep_it_pending_until_finished(self, client: Client, ls: LightsailMock) -> None:
        ls.set_transitions("hold")
        _create(client)
        ls.validate_certificate("site")
        assert _detail(client)["status"] == "PENDING_VALIDATION"
        assert ls.finish_transitions("site") == 1
        assert _detail(client)["status"] == "ISSUED"

    def test_the_handle_refuses_what_it_cannot_validate(self, client: Client, ls: LightsailMock) -> None:
        with pytest.raises(LightmockUsageError, match="no certificate"):
            ls.validate_certificate("nothing")
        _create(client)
        ls.validate_certificate("site")
        with pytest.raises(LightmockUsageError, match="ISSUED"):
            ls.validate_certificate("site")


def test_the_control_api_validates(lightsail_server: LightsailServer) -> None:
    client = http_client(lightsail_server.url)
    _create(client)
    request = urllib.request.Request(
        f"{lightsail_server.url}/_lightmock/certificates/validate",
        data=json.dumps({"certificateName": "site"}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert json.load(answer) == {"validated": "site"}
    assert _detail(client)["status"] == "ISSUED"


def test_delete(client: Client) -> None:
    _create(client)
    deleted = client.delete_certificate(certificateName="site")["operations"][0]
    assert (deleted["resourceType"], deleted["operationType"]) == ("Certificate", "DeleteCertificate")
    assert client.get_certificates()["certificates"] == []
    with pytest.raises(client.exceptions.NotFoundException):
        client.delete_certificate(certificateName="site")
