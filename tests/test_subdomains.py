"""Subdomains through boto3: names under amazonlightsail.com, nested ones under an IMPLICIT
top-level one, names unique across accounts, reservations, the quota, states, deletion, the
association's refusals, and the Region they are answered in (docs/service-reference.md §22).

The operations came after botocore 1.42.83, the oldest botocore lightmock supports: where the
installed model lacks them these tests skip, and ``TestAnOlderModel`` checks that they are then
unknown operations.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import botocore
import pytest

from lightmock import LightsailMock, mock_lightsail
from lightmock.gateway import activations
from lightmock.schema.model import service_model
from lightmock.server import LightsailServer
from lightmock.service.families import OPERATIONS
from lightmock.service.subdomains import SubdomainState
from tests.helpers import ACCOUNT, OTHER_REGION, REGION, T0, create_distribution, create_instances, race, shared_client
from tests.serving import http_client

Client = Any

OPERATION_NAMES = (
    "CheckSubdomainAvailability",
    "CreateSubdomain",
    "DeleteSubdomain",
    "GetSubdomains",
    "UpdateSubdomainAssociation",
)
MODELED = set(OPERATION_NAMES) <= set(service_model().operation_names)
OTHER_ACCOUNT = "210987654321"

needs_the_model = pytest.mark.skipif(
    not MODELED,
    reason=f"botocore {botocore.__version__}'s Lightsail model lacks the subdomain operations (added after 1.42.83)",
)


def _listed(client: Client) -> dict[str, Any]:
    """Every top-level subdomain of GetSubdomains, by name."""
    return {record["subdomainName"]: record for record in client.get_subdomains()["subdomains"]}


def _one(client: Client, name: str) -> dict[str, Any]:
    records = client.get_subdomains(subdomainName=name)["subdomains"]
    assert len(records) == 1
    record: dict[str, Any] = records[0]
    return record


@needs_the_model
class TestCreate:
    def test_a_top_level_subdomain_and_its_record(self, client: Client) -> None:
        """The response shows it CREATING with a Started operation; reads find it UNATTACHED,
        at its web address under amazonlightsail.com, kept in us-east-1."""
        answer = client.create_subdomain(subdomainName="mysite", tags=[{"key": "team", "value": "web"}])
        created = answer["subdomain"]
        assert created["state"] == "CREATING"
        assert "tags" not in created
        assert (answer["operation"]["operationType"], answer["operation"]["status"]) == ("CreateSubdomain", "Started")
        assert answer["operation"]["resourceType"] == "Subdomain"
        record = _one(client, "mysite")
        assert record["state"] == "UNATTACHED"
        assert record["fqdn"] == "mysite.amazonlightsail.com"
        assert record["depth"] == 1
        assert "parentFqdn" not in record
        assert record["arn"].startswith(f"arn:aws:lightsail:{REGION}:{ACCOUNT}:Subdomain/")
        assert record["arn"] == created["arn"]
        assert record["location"] == {"availabilityZone": "all", "regionName": "us-east-1"}
        assert record["createdAt"] == T0
        assert record["tags"] == [{"key": "team", "value": "web"}]

    def test_tags_show_only_where_one_subdomain_is_asked_for(self, client: Client) -> None:
        client.create_subdomain(subdomainName="mysite", tags=[{"key": "team", "value": "web"}])
        listed = _listed(client)["mysite"]
        assert "tags" not in listed
        assert listed["children"] == []

    def test_in_hold_mode_it_is_creating_until_finished(self, ls: LightsailMock, client: Client) -> None:
        ls.set_transitions("hold")
        client.create_subdomain(subdomainName="mysite")
        assert _one(client, "mysite")["state"] == "CREATING"
        assert ls.finish_transitions("mysite") == 1
        assert _one(client, "mysite")["state"] == "UNATTACHED"

    def test_in_clock_mode_it_is_creating_for_five_minutes(self, ls: LightsailMock, client: Client) -> None:
        ls.set_transitions("clock")
        client.create_subdomain(subdomainName="mysite")
        ls.clock.advance(seconds=299)
        assert _one(client, "mysite")["state"] == "CREATING"
        ls.clock.advance(seconds=1)
        assert _one(client, "mysite")["state"] == "UNATTACHED"

    def test_the_states_are_the_models(self) -> None:
        assert [str(state) for state in SubdomainState] == service_model().shape_for("SubdomainState").enum


@needs_the_model
class TestNames:
    @pytest.mark.parametrize(
        ("name", "why"),
        [
            ("MySite", "lowercase"),
            ("-mysite", "start and end"),
            ("mysite-", "start and end"),
            ("my_site", "only lowercase letters, numbers, and hyphens"),
            ("a.b.c", "one or two"),
            ("a..b", "start and end"),
            ("", "start and end"),
            ("a", "at least 2"),
            ("x" * 40, "up to 39"),
            ("xn--mysite", "xn--"),
            ("blog.xn--mysite", "xn--"),
            ("mysite.amazonlightsail.com", "not its web address"),
        ],
    )
    def test_a_name_the_service_would_not_create_is_refused(self, client: Client, name: str, why: str) -> None:
        """Refused as invalid input by CheckSubdomainAvailability and CreateSubdomain; nothing is made."""
        with pytest.raises(client.exceptions.InvalidInputException, match=why):
            client.check_subdomain_availability(subdomainName=name, reserve=True)
        with pytest.raises(client.exceptions.InvalidInputException, match=why):
            client.create_subdomain(subdomainName=name)
        assert client.get_subdomains()["subdomains"] == []
        assert client.get_operations()["operations"] == []

    @pytest.mark.parametrize("name", ["ab", "0-0", "a.b", "x" * 39, "b" * 19 + "." + "c" * 19, "my--site"])
    def test_names_at_the_edges_are_taken(self, client: Client, name: str) -> None:
        assert client.check_subdomain_availability(subdomainName=name)["available"] is True
        client.create_subdomain(subdomainName=name)
        assert _one(client, name)["subdomainName"] == name

    def test_a_web_address_is_refused_where_a_subdomain_is_named(self, client: Client) -> None:
        client.create_subdomain(subdomainName="mysite")
        for call in (client.get_subdomains, client.delete_subdomain):
            with pytest.raises(client.exceptions.InvalidInputException, match="specify mysite"):
                call(subdomainName="mysite.amazonlightsail.com")
        assert _one(client, "mysite")["state"] == "UNATTACHED"


@needs_the_model
class TestNested:
    def test_a_nested_one_holds_its_top_level_one_implicit(self, client: Client) -> None:
        """blog.mysite without mysite: mysite is listed IMPLICIT, without an ARN, with blog.mysite as its child."""
        client.create_subdomain(subdomainName="blog.mysite")
        nested = _one(client, "blog.mysite")
        assert (nested["depth"], nested["parentFqdn"]) == (2, "mysite.amazonlightsail.com")
        assert nested["fqdn"] == "blog.mysite.amazonlightsail.com"
        top = _listed(client)
        assert list(top) == ["mysite"]
        assert top["mysite"]["state"] == "IMPLICIT"
        assert "arn" not in top["mysite"]
        assert [child["subdomainName"] for child in top["mysite"]["children"]] == ["blog.mysite"]
        implicit = _one(client, "mysite")
        assert (implicit["state"], implicit["depth"]) == ("IMPLICIT", 1)
        assert "arn" not in implicit
        assert "children" not in implicit

    def test_creating_the_implicit_one_makes_it_a_subdomain(self, client: Client) -> None:
        client.create_subdomain(subdomainName="blog.mysite")
        client.create_subdomain(subdomainName="mysite")
        top = _listed(client)["mysite"]
        assert top["state"] == "UNATTACHED"
        assert top["arn"].startswith("arn:aws:lightsail:us-east-1:")
        assert [child["subdomainName"] for child in top["children"]] == ["blog.mysite"]

    def test_deleting_a_top_level_one_with_nested_ones_leaves_it_implicit(self, client: Client) -> None:
        """The nested ones continue to work; the response describes the top-level one IMPLICIT."""
        client.create_subdomain(subdomainName="mysite")
        client.create_subdomain(subdomainName="blog.mysite")
        client.create_subdomain(subdomainName="shop.mysite")
        answer = client.delete_subdomain(subdomainName="mysite")
        assert answer["subdomain"]["state"] == "IMPLICIT"
        assert "arn" not in answer["subdomain"]
        assert (answer["operation"]["operationType"], answer["operation"]["status"]) == ("DeleteSubdomain", "Succeeded")
        top = _listed(client)["mysite"]
        assert top["state"] == "IMPLICIT"
        assert [child["subdomainName"] for child in top["children"]] == ["blog.mysite", "shop.mysite"]
        assert _one(client, "blog.mysite")["state"] == "UNATTACHED"

    def test_an_implicit_one_goes_with_its_last_nested_one(self, client: Client) -> None:
        client.create_subdomain(subdomainName="blog.mysite")
        answer = client.delete_subdomain(subdomainName="blog.mysite")
        assert "subdomain" not in answer
        assert client.get_subdomains()["subdomains"] == []
        with pytest.raises(client.exceptions.NotFoundException, match="does not exist"):
            client.get_subdomains(subdomainName="mysite")

    def test_an_implicit_one_cannot_be_deleted_or_associated(self, client: Client) -> None:
        client.create_subdomain(subdomainName="blog.mysite")
        with pytest.raises(client.exceptions.OperationFailureException, match="IMPLICIT"):
            client.delete_subdomain(subdomainName="mysite")
        with pytest.raises(client.exceptions.OperationFailureException, match="IMPLICIT"):
            client.update_subdomain_association(subdomainName="mysite", action="DISASSOCIATE")
        assert _listed(client)["mysite"]["state"] == "IMPLICIT"


@needs_the_model
class TestDelete:
    def test_only_unattached_or_create_failed(self, ls: LightsailMock, client: Client) -> None:
        """A subdomain still CREATING is refused, and stays."""
        ls.set_transitions("hold")
        client.create_subdomain(subdomainName="mysite")
        with pytest.raises(client.exceptions.OperationFailureException, match="UNATTACHED or CREATE_FAILED"):
            client.delete_subdomain(subdomainName="mysite")
        assert _one(client, "mysite")["state"] == "CREATING"

    def test_a_missing_one_is_not_found(self, client: Client) -> None:
        with pytest.raises(client.exceptions.NotFoundException, match="does not exist"):
            client.delete_subdomain(subdomainName="nothing")


@needs_the_model
class TestAcrossAccounts:
    def test_a_name_is_taken_for_every_account(self, ls: LightsailMock, client: Client) -> None:
        """Another account can create neither the name nor a name nested under it; a name of its own it can."""
        client.create_subdomain(subdomainName="mysite")
        with mock_lightsail(account_id=OTHER_ACCOUNT):  # nested: the same store, another account
            other = shared_client()
            assert other.check_subdomain_availability(subdomainName="mysite")["available"] is False
            assert other.check_subdomain_availability(subdomainName="blog.mysite")["available"] is False
            for name in ("mysite", "blog.mysite"):
                with pytest.raises(other.exceptions.InvalidInputException, match="another AWS account"):
                    other.create_subdomain(subdomainName=name)
            other.create_subdomain(subdomainName="theirs")
            assert list(_listed(other)) == ["theirs"]
        assert list(_listed(client)) == ["mysite"]

    def test_an_implicit_top_level_one_is_held_too(self, client: Client) -> None:
        client.create_subdomain(subdomainName="blog.mysite")
        with mock_lightsail(account_id=OTHER_ACCOUNT):
            other = shared_client()
            with pytest.raises(other.exceptions.InvalidInputException, match="another AWS account"):
                other.create_subdomain(subdomainName="mysite")

    def test_a_deleted_name_is_free_again(self, client: Client) -> None:
        """One never associated with a resource is released at once."""
        client.create_subdomain(subdomainName="mysite")
        client.delete_subdomain(subdomainName="mysite")
        with mock_lightsail(account_id=OTHER_ACCOUNT):
            other = shared_client()
            assert other.check_subdomain_availability(subdomainName="mysite")["available"] is True
            other.create_subdomain(subdomainName="mysite")

    def test_accounts_racing_for_one_name_make_one_subdomain(self) -> None:
        """Six accounts create the same name at once over HTTP: exactly one has it."""
        accounts = [f"1111222233{index:02d}" for index in range(6)]
        with LightsailServer(port=0) as server:
            clients = [http_client(server.url, access_key=account) for account in accounts]

            won = race(clients, lambda client: client.create_subdomain(subdomainName="contested"))
            assert won.count(True) == 1
            assert sum(len(client.get_subdomains()["subdomains"]) for client in clients) == 1


@needs_the_model
class TestReservations:
    def test_a_reservation_holds_the_name_for_fifteen_minutes(self, ls: LightsailMock, client: Client) -> None:
        answer = client.check_subdomain_availability(subdomainName="mysite", reserve=True)
        assert answer["available"] is True
        assert answer["subdomainName"] == "mysite"
        assert answer["reservationExpiresAt"] == T0 + timedelta(minutes=15)
        with mock_lightsail(account_id=OTHER_ACCOUNT):
            other = shared_client()
            checked = other.check_subdomain_availability(subdomainName="mysite", reserve=True)
            assert checked["available"] is False
            assert "reservationExpiresAt" not in checked
            with pytest.raises(other.exceptions.InvalidInputException, match="reserved"):
                other.create_subdomain(subdomainName="mysite")
            ls.clock.advance(minutes=15)
            other.create_subdomain(subdomainName="mysite")
        assert client.check_subdomain_availability(subdomainName="mysite")["available"] is False

    def test_checking_again_does_not_extend_it(self, ls: LightsailMock, client: Client) -> None:
        client.check_subdomain_availability(subdomainName="mysite", reserve=True)
        ls.clock.advance(minutes=10)
        again = client.check_subdomain_availability(subdomainName="mysite", reserve=True)
        assert again["reservationExpiresAt"] == T0 + timedelta(minutes=15)
        assert client.check_subdomain_availability(subdomainName="mysite")["reservationExpiresAt"] == T0 + timedelta(
            minutes=15
        )

    def test_a_check_without_reserve_reserves_nothing(self, client: Client) -> None:
        assert "reservationExpiresAt" not in client.check_subdomain_availability(subdomainName="mysite")
        with mock_lightsail(account_id=OTHER_ACCOUNT):
            shared_client().create_subdomain(subdomainName="mysite")

    def test_a_nested_name_reserves_its_top_level_one(self, client: Client) -> None:
        expires = client.check_subdomain_availability(subdomainName="blog.mysite", reserve=True)["reservationExpiresAt"]
        assert client.check_subdomain_availability(subdomainName="mysite")["reservationExpiresAt"] == expires
        with mock_lightsail(account_id=OTHER_ACCOUNT):
            other = shared_client()
            with pytest.raises(other.exceptions.InvalidInputException, match="another AWS account"):
                other.create_subdomain(subdomainName="shop.mysite")

    def test_creating_it_uses_the_reservation(self, client: Client) -> None:
        client.check_subdomain_availability(subdomainName="mysite", reserve=True)
        client.create_subdomain(subdomainName="mysite")
        answer = client.check_subdomain_availability(subdomainName="mysite")
        assert answer["available"] is False
        assert "reservationExpiresAt" not in answer

    def test_at_most_five_at_a_time(self, ls: LightsailMock, client: Client) -> None:
        """A sixth is refused and reserves nothing; when the first expire, more can be made."""
        for index in range(5):
            client.check_subdomain_availability(subdomainName=f"site{index}", reserve=True)
        with pytest.raises(client.exceptions.InvalidInputException, match="up to 5 active"):
            client.check_subdomain_availability(subdomainName="site5", reserve=True)
        assert "reservationExpiresAt" not in client.check_subdomain_availability(subdomainName="site5")
        ls.clock.advance(minutes=15)
        assert "reservationExpiresAt" in client.check_subdomain_availability(subdomainName="site5", reserve=True)


@needs_the_model
class TestQuota:
    def test_thirty_subdomains_and_no_more_implicit_ones_uncounted(self, client: Client) -> None:
        """Thirty nested subdomains under one IMPLICIT top-level one fit; the thirty-first is refused."""
        for index in range(30):
            client.create_subdomain(subdomainName=f"n{index}.top")
        with pytest.raises(client.exceptions.InvalidInputException, match="up to 30 subdomains"):
            client.create_subdomain(subdomainName="top")
        assert len(_listed(client)["top"]["children"]) == 30
        assert _listed(client)["top"]["state"] == "IMPLICIT"


@needs_the_model
class TestGetSubdomains:
    def test_pages_of_top_level_ones_with_their_children(self) -> None:
        with mock_lightsail(page_size=2) as ls:
            ls.clock.freeze(T0)
            client = shared_client()
            for name in ("aa", "bb", "cc", "x.bb", "y.dd"):
                client.create_subdomain(subdomainName=name)
            first = client.get_subdomains()
            assert [record["subdomainName"] for record in first["subdomains"]] == ["aa", "bb"]
            assert [child["subdomainName"] for child in first["subdomains"][1]["children"]] == ["x.bb"]
            second = client.get_subdomains(pageToken=first["nextPageToken"])
            assert [record["subdomainName"] for record in second["subdomains"]] == ["cc", "dd"]
            assert second["subdomains"][1]["state"] == "IMPLICIT"
            assert "nextPageToken" not in second
            with pytest.raises(client.exceptions.InvalidInputException, match="together with pageToken"):
                client.get_subdomains(subdomainName="aa", pageToken=first["nextPageToken"])

    def test_a_missing_one_is_not_found(self, client: Client) -> None:
        with pytest.raises(client.exceptions.NotFoundException, match="does not exist: nothing"):
            client.get_subdomains(subdomainName="nothing")


@needs_the_model
class TestRegion:
    def test_answered_in_us_east_1_only(self, client: Client) -> None:
        """Another Region's endpoint refuses every subdomain operation and keeps nothing."""
        west = shared_client(OTHER_REGION)
        calls = [
            lambda: west.check_subdomain_availability(subdomainName="mysite"),
            lambda: west.create_subdomain(subdomainName="mysite"),
            lambda: west.get_subdomains(),
            lambda: west.delete_subdomain(subdomainName="mysite"),
            lambda: west.update_subdomain_association(subdomainName="mysite", action="DISASSOCIATE"),
        ]
        for call in calls:
            with pytest.raises(west.exceptions.InvalidInputException, match="only available in the us-east-1 Region"):
                call()
        assert client.get_subdomains()["subdomains"] == []


@pytest.fixture
def mysite(client: Client) -> None:
    """The subdomain "mysite", unattached."""
    client.create_subdomain(subdomainName="mysite")


@needs_the_model
@pytest.mark.usefixtures("mysite")
class TestAssociationRefusals:
    """What UpdateSubdomainAssociation refuses without a distribution: the subdomain stays as it was."""

    def _unchanged(self, client: Client) -> None:
        record = _one(client, "mysite")
        assert record["state"] == "UNATTACHED"
        assert "attachedResource" not in record
        assert "attachingResource" not in record

    def test_associate_needs_a_target(self, client: Client) -> None:
        with pytest.raises(client.exceptions.InvalidInputException, match="targetResourceArn is required"):
            client.update_subdomain_association(subdomainName="mysite", action="ASSOCIATE")
        self._unchanged(client)

    def test_only_a_distribution(self, client: Client) -> None:
        """An instance's ARN: "you can associate a subdomain only with a Lightsail content delivery network"."""
        create_instances(client, "web-1")
        instance = client.get_instance(instanceName="web-1")["instance"]["arn"]
        with pytest.raises(client.exceptions.InvalidInputException, match="only with a Lightsail content delivery"):
            client.update_subdomain_association(subdomainName="mysite", action="ASSOCIATE", targetResourceArn=instance)
        self._unchanged(client)

    @pytest.mark.parametrize(
        "target",
        [
            f"arn:aws:lightsail:us-east-1:{ACCOUNT}:Distribution/00000000-0000-4000-8000-000000000000",
            f"arn:aws:lightsail:us-east-1:{OTHER_ACCOUNT}:Distribution/00000000-0000-4000-8000-000000000000",
        ],
        ids=["nothing", "another-account"],
    )
    def test_a_target_that_is_not_the_accounts_is_not_found(self, client: Client, target: str) -> None:
        with pytest.raises(client.exceptions.NotFoundException, match="does not exist"):
            client.update_subdomain_association(subdomainName="mysite", action="ASSOCIATE", targetResourceArn=target)
        self._unchanged(client)

    def test_a_target_that_is_no_arn(self, client: Client) -> None:
        with pytest.raises(client.exceptions.InvalidInputException, match="not the ARN of a Lightsail resource"):
            client.update_subdomain_association(subdomainName="mysite", action="ASSOCIATE", targetResourceArn="web-1")
        self._unchanged(client)

    @pytest.mark.parametrize("action", ["DISASSOCIATE", "TRANSFER"])
    def test_an_unattached_one_cannot_be_disassociated_or_moved(self, client: Client, action: str) -> None:
        with pytest.raises(client.exceptions.OperationFailureException, match="needs it ATTACHED"):
            client.update_subdomain_association(
                subdomainName="mysite", action=action, targetResourceArn=f"arn:aws:lightsail:us-east-1:{ACCOUNT}:x/y"
            )
        self._unchanged(client)

    def test_a_missing_subdomain_is_not_found(self, client: Client) -> None:
        with pytest.raises(client.exceptions.NotFoundException, match="does not exist"):
            client.update_subdomain_association(subdomainName="nothing", action="DISASSOCIATE")


def _distribution(client: Client, name: str) -> str:
    """A distribution of an instance in us-east-1; its ARN."""
    create_instances(client, f"{name}-origin")
    arn: str = create_distribution(client, name, f"{name}-origin")["distribution"]["arn"]
    return arn


def _associate(client: Client, subdomain: str, target: str) -> dict[str, Any]:
    answer: dict[str, Any] = client.update_subdomain_association(
        subdomainName=subdomain, action="ASSOCIATE", targetResourceArn=target
    )
    return answer


@needs_the_model
@pytest.mark.usefixtures("mysite")
class TestAssociation:
    """A subdomain associated with a distribution, disassociated, moved; what follows for deletion."""

    def test_associate(self, ls: LightsailMock, client: Client) -> None:
        """The response shows ATTACHING and the resource being associated; reads then show it ATTACHED."""
        ls.set_transitions("hold")
        cdn = _distribution(client, "cdn-1")
        answer = _associate(client, "mysite", cdn)
        assert answer["subdomain"]["state"] == "ATTACHING"
        assert answer["subdomain"]["attachingResource"] == {"arn": cdn, "name": "cdn-1"}
        assert (answer["operation"]["operationType"], answer["operation"]["status"]) == (
            "UpdateSubdomainAssociation",
            "Started",
        )
        assert _one(client, "mysite")["state"] == "ATTACHING"
        ls.finish_transitions("mysite")
        record = _one(client, "mysite")
        assert record["state"] == "ATTACHED"
        assert record["attachedResource"] == {"arn": cdn, "name": "cdn-1", "attachedAt": T0}
        assert "attachingResource" not in record

    def test_one_subdomain_per_resource(self, client: Client) -> None:
        cdn = _distribution(client, "cdn-1")
        _associate(client, "mysite", cdn)
        client.create_subdomain(subdomainName="other")
        with pytest.raises(client.exceptions.InvalidInputException, match="only one subdomain at a time"):
            _associate(client, "other", cdn)
        assert _one(client, "other")["state"] == "UNATTACHED"

    def test_not_a_distribution_with_a_custom_domain(self, ls: LightsailMock, client: Client) -> None:
        """A distribution "that has a Lightsail certificate attached" is refused."""
        cdn = _distribution(client, "cdn-1")
        client.create_certificate(certificateName="site", domainName="example.com")
        ls.validate_certificate("site")  # the handle's, with the certificates family
        client.attach_certificate_to_distribution(distributionName="cdn-1", certificateName="site")
        with pytest.raises(client.exceptions.InvalidInputException, match="custom domain"):
            _associate(client, "mysite", cdn)
        assert _one(client, "mysite")["state"] == "UNATTACHED"

    def test_an_associated_one_cannot_be_deleted(self, client: Client) -> None:
        _associate(client, "mysite", _distribution(client, "cdn-1"))
        with pytest.raises(client.exceptions.OperationFailureException, match="disassociate it first"):
            client.delete_subdomain(subdomainName="mysite")
        assert _one(client, "mysite")["state"] == "ATTACHED"

    def test_disassociate(self, client: Client) -> None:
        _associate(client, "mysite", _distribution(client, "cdn-1"))
        answer = client.update_subdomain_association(subdomainName="mysite", action="DISASSOCIATE")
        assert answer["subdomain"]["state"] == "DETACHING"
        record = _one(client, "mysite")
        assert record["state"] == "UNATTACHED"
        assert "attachedResource" not in record

    def test_transfer_once_a_day(self, ls: LightsailMock, client: Client) -> None:
        first, second = _distribution(client, "cdn-1"), _distribution(client, "cdn-2")
        _associate(client, "mysite", first)
        with pytest.raises(client.exceptions.InvalidInputException, match="already associated"):
            client.update_subdomain_association(subdomainName="mysite", action="TRANSFER", targetResourceArn=first)
        moving = client.update_subdomain_association(
            subdomainName="mysite", action="TRANSFER", targetResourceArn=second
        )
        assert moving["subdomain"]["state"] == "TRANSFERRING"
        assert moving["subdomain"]["attachedResource"]["name"] == "cdn-1"
        assert moving["subdomain"]["attachingResource"]["name"] == "cdn-2"
        assert _one(client, "mysite")["attachedResource"]["name"] == "cdn-2"
        ls.clock.advance(hours=23)
        with pytest.raises(client.exceptions.InvalidInputException, match="once in a 24-hour period"):
            client.update_subdomain_association(subdomainName="mysite", action="TRANSFER", targetResourceArn=first)
        ls.clock.advance(hours=1)
        client.update_subdomain_association(subdomainName="mysite", action="TRANSFER", targetResourceArn=first)
        assert _one(client, "mysite")["attachedResource"]["name"] == "cdn-1"

    def test_deleted_after_an_association_it_is_held_for_thirty_days(self, ls: LightsailMock, client: Client) -> None:
        _associate(client, "mysite", _distribution(client, "cdn-1"))
        client.update_subdomain_association(subdomainName="mysite", action="DISASSOCIATE")
        client.delete_subdomain(subdomainName="mysite")
        with mock_lightsail(account_id=OTHER_ACCOUNT):
            other = shared_client()
            assert other.check_subdomain_availability(subdomainName="mysite")["available"] is False
            ls.clock.advance(days=30)
            assert other.check_subdomain_availability(subdomainName="mysite")["available"] is True

    def test_the_account_itself_can_create_it_again(self, client: Client) -> None:
        _associate(client, "mysite", _distribution(client, "cdn-1"))
        client.update_subdomain_association(subdomainName="mysite", action="DISASSOCIATE")
        client.delete_subdomain(subdomainName="mysite")
        client.create_subdomain(subdomainName="mysite")
        assert _one(client, "mysite")["state"] == "UNATTACHED"

    def test_a_deleted_distribution_ends_the_association(self, client: Client) -> None:
        _associate(client, "mysite", _distribution(client, "cdn-1"))
        client.delete_distribution(distributionName="cdn-1")
        record = _one(client, "mysite")
        assert record["state"] == "UNATTACHED"
        assert "attachedResource" not in record


@pytest.mark.skipif(MODELED, reason="the installed botocore's model has the subdomain operations")
def test_an_older_model_answers_them_as_unknown(ls: LightsailMock) -> None:
    """Where the model lacks them (botocore 1.42.83), a raw request is an unknown operation,
    although the operation table has them."""
    assert set(OPERATION_NAMES) <= set(OPERATIONS)
    active = activations.innermost()
    assert active is not None
    for operation in OPERATION_NAMES:
        answer = active.answer(
            f"https://lightsail.{REGION}.amazonaws.com/",
            {"X-Amz-Target": f"Lightsail_20161128.{operation}", "Content-Type": "application/x-amz-json-1.1"},
            b'{"subdomainName": "mysite"}',
        )
        assert answer.status == 400
        assert b"UnknownOperationException" in answer.body
