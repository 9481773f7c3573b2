"""Lightsail for Research through a real boto3 client: its applications and plans in the
catalogue, virtual computers made from them, and their GUI sessions (CreateGUISessionAccessDetails,
StartGUISession, StopGUISession; docs/service-reference.md §21)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from lightmock import LightsailMock
from tests.helpers import T0, create_instances

Client = Any

LFR_BLUEPRINTS = ["lfr_jupyterlab_1_0", "lfr_rstudio_1_0", "lfr_vscodium_1_0", "lfr_scilab_1_0", "lfr_ubuntu_1_0"]
#: The user guide's plans: (vCPUs, memory GB, storage GB, monthly transfer GB).
LFR_PLANS = {
    "app_standard_xl_1_0": (4, 8.0, 50, 512),
    "app_standard_2xl_1_0": (8, 16.0, 50, 512),
    "app_standard_4xl_1_0": (16, 32.0, 50, 512),
    "gpu_nvidia_xl_1_0": (4, 16.0, 50, 1024),
    "gpu_nvidia_2xl_1_0": (8, 32.0, 50, 1024),
    "gpu_nvidia_4xl_1_0": (16, 64.0, 50, 1024),
}
URL = re.compile(r"https://(?P<host>[^/]+):8443/\?authToken=(?P<token>[0-9a-f]{64})#(?P<session>\w+)")


def _computer(client: Client, name: str = "vc-1", **overrides: Any) -> None:
    params = {"blueprintId": "lfr_jupyterlab_1_0", "bundleId": "app_standard_xl_1_0", **overrides}
    create_instances(client, name, **params)


def _details(client: Client, name: str = "vc-1") -> dict[str, Any]:
    body = client.create_gui_session_access_details(resourceName=name)
    body.pop("ResponseMetadata")
    result: dict[str, Any] = body
    return result


def _status(client: Client, name: str = "vc-1") -> tuple[str, int]:
    body = _details(client, name)
    return body["status"], body["percentageComplete"]


def _error(call: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as raised:
        call(**params)
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]


# -- the catalogue -----------------------------------------------------------------------------


class TestCatalogue:
    def test_blueprints_only_when_asked_for(self, client: Client) -> None:
        """appCategory LfR lists the research applications, each marked LfR; without it they are
        left out ("You must use this parameter to view Lightsail for Research blueprints")."""
        research = client.get_blueprints(appCategory="LfR")["blueprints"]
        assert [b["blueprintId"] for b in research] == LFR_BLUEPRINTS
        assert {b["appCategory"] for b in research} == {"LfR"}
        names = {b["blueprintId"]: b["name"] for b in research}
        assert names["lfr_jupyterlab_1_0"] == "JupyterLab"
        assert names["lfr_ubuntu_1_0"] == "Ubuntu"
        assert {b["platform"] for b in research} == {"LINUX_UNIX"}
        ordinary = client.get_blueprints()["blueprints"]
        assert "ubuntu_22_04" in {b["blueprintId"] for b in ordinary}
        assert not {b["blueprintId"] for b in ordinary} & set(LFR_BLUEPRINTS)
        assert all("appCategory" not in b for b in ordinary)

    def test_bundles_only_when_asked_for(self, client: Client) -> None:
        """The Standard and GPU plans with the user guide's hardware, supporting LfR."""
        research = client.get_bundles(appCategory="LfR")["bundles"]
        figures = {
            b["bundleId"]: (b["cpuCount"], b["ramSizeInGb"], b["diskSizeInGb"], b["transferPerMonthInGb"])
            for b in research
        }
        assert figures == LFR_PLANS
        assert {tuple(b["supportedAppCategories"]) for b in research} == {("LfR",)}
        names = [b["name"] for b in research]
        assert names == ["Standard XL", "Standard 2XL", "Standard 4XL", "GPU XL", "GPU 2XL", "GPU 4XL"]
        ordinary = client.get_bundles()["bundles"]
        assert "nano_3_0" in {b["bundleId"] for b in ordinary}
        assert not {b["bundleId"] for b in ordinary} & set(LFR_PLANS)
        assert all("supportedAppCategories" not in b for b in ordinary)

    def test_a_virtual_computer_from_them(self, client: Client) -> None:
        """CreateInstances makes a virtual computer: Ubuntu's user, the plan's hardware, the ports a
        new virtual computer has open (22, 80, 443, 8443)."""
        _computer(client, blueprintId="lfr_rstudio_1_0", bundleId="gpu_nvidia_2xl_1_0")
        instance = client.get_instance(instanceName="vc-1")["instance"]
        assert (instance["blueprintId"], instance["blueprintName"]) == ("lfr_rstudio_1_0", "RStudio")
        assert (instance["bundleId"], instance["username"], instance["state"]["name"]) == (
            "gpu_nvidia_2xl_1_0",
            "ubuntu",
            "running",
        )
        hardware = instance["hardware"]
        assert (hardware["cpuCount"], hardware["ramSizeInGb"], hardware["disks"][0]["sizeInGb"]) == (8, 32.0, 50)
        assert [port["fromPort"] for port in instance["networking"]["ports"]] == [22, 80, 443, 8443]

    def test_its_cost_at_the_plans_hourly_rate(self, client: Client) -> None:
        """GetCostEstimate prices a virtual computer by its plan: Standard XL at $0.90 an hour."""
        _computer(client)
        (estimate,) = client.get_cost_estimate(resourceName="vc-1", startTime=T0, endTime=T0 + timedelta(hours=10))[
            "resourcesBudgetEstimate"
        ]
        (cost,) = estimate["costEstimates"]
        assert cost["usageType"] == "Bundle:8GB"
        assert cost["resultsByTime"][0]["usageCost"] == pytest.approx(10 * 0.90)


# -- sessions ------------------------------------------------------------------------------------


class TestSessions:
    def test_a_new_computer_has_no_session(self, client: Client) -> None:
        _computer(client)
        expected = {"resourceName": "vc-1", "status": "notStarted", "percentageComplete": 0, "sessions": []}
        assert _details(client) == expected

    def test_start_reports_an_operation_and_opens_two_urls(self, client: Client) -> None:
        """One StartGUISession operation on the instance; then the primary URL for the application
        and the secondary one for the operating system, DCV URLs on the computer's port 8443."""
        _computer(client)
        address = client.get_instance(instanceName="vc-1")["instance"]["publicIpAddress"]
        (operation,) = client.start_gui_session(resourceName="vc-1")["operations"]
        assert (operation["operationType"], operation["status"], operation["isTerminal"]) == (
            "StartGUISession",
            "Started",
            False,
        )
        assert (operation["resourceName"], operation["resourceType"]) == ("vc-1", "Instance")
        assert operation["location"]["availabilityZone"] == "us-east-1a"
        body = _details(client)
        assert (body["status"], body["percentageComplete"]) == ("started", 100)
        assert "failureReason" not in body
        primary, secondary = body["sessions"]
        assert (primary["name"], primary["isPrimary"]) == ("JupyterLab", True)
        assert (secondary["name"], secondary["isPrimary"]) == ("Ubuntu", False)
        urls = [URL.fullmatch(session["url"]) for session in (primary, secondary)]
        assert all(url is not None and url["host"] == address for url in urls)
        again = _details(client)["sessions"]
        assert {session["url"] for session in again}.isdisjoint({primary["url"], secondary["url"]})

    def test_the_session_is_active_for_an_hour(self, ls: LightsailMock, client: Client) -> None:
        """Started at T0, it is startExpired an hour later; StartGUISession resumes it."""
        _computer(client)
        client.start_gui_session(resourceName="vc-1")
        ls.clock.advance(minutes=59, seconds=59)
        assert _status(client) == ("started", 100)
        ls.clock.advance(seconds=1)
        assert _status(client) == ("startExpired", 100)
        assert _details(client)["sessions"] == []
        client.start_gui_session(resourceName="vc-1")
        ls.clock.advance(minutes=59)
        assert _status(client) == ("started", 100)

    def test_starting_a_started_session_renews_its_hour(self, ls: LightsailMock, client: Client) -> None:
        _computer(client)
        client.start_gui_session(resourceName="vc-1")
        ls.clock.advance(minutes=40)
        (operation,) = client.start_gui_session(resourceName="vc-1")["operations"]
        assert (operation["status"], operation["isTerminal"]) == ("Succeeded", True)
        ls.clock.advance(minutes=40)
        assert _status(client) == ("started", 100)
        ls.clock.advance(minutes=20)
        assert _status(client)[0] == "startExpired"

    def test_stop(self, client: Client) -> None:
        """A started session is stopped by StopGUISession (one operation, Started); an expired one
        too; a stop with no session running changes nothing."""
        _computer(client)
        (idle,) = client.stop_gui_session(resourceName="vc-1")["operations"]
        assert (idle["operationType"], idle["status"]) == ("StopGUISession", "Succeeded")
        assert _status(client) == ("notStarted", 0)
        client.start_gui_session(resourceName="vc-1")
        (operation,) = client.stop_gui_session(resourceName="vc-1")["operations"]
        assert (operation["operationType"], operation["status"], operation["resourceName"]) == (
            "StopGUISession",
            "Started",
            "vc-1",
        )
        expected = {"resourceName": "vc-1", "status": "stopped", "percentageComplete": 100, "sessions": []}
        assert _details(client) == expected
        client.start_gui_session(resourceName="vc-1")
        assert _status(client) == ("started", 100)

    def test_the_operations_are_logged(self, client: Client) -> None:
        _computer(client)
        client.start_gui_session(resourceName="vc-1")
        client.stop_gui_session(resourceName="vc-1")
        logged = client.get_operations_for_resource(resourceName="vc-1")["operations"]  # newest first
        assert [op["operationType"] for op in logged] == ["StopGUISession", "StartGUISession", "CreateInstance"]


class TestTransitions:
    def test_starting_and_stopping_move_with_the_clock(self, ls: LightsailMock, client: Client) -> None:
        """In the clock mode the session is starting (its percentage growing) for the instance
        kind's 30 seconds, then started; stopping likewise."""
        _computer(client)
        ls.set_transitions("clock")
        client.start_gui_session(resourceName="vc-1")
        assert _status(client) == ("starting", 0)
        ls.clock.advance(seconds=15)
        assert _status(client) == ("starting", 50)
        assert _details(client)["sessions"] == []
        ls.clock.advance(seconds=15)
        assert _status(client) == ("started", 100)
        client.stop_gui_session(resourceName="vc-1")
        ls.clock.advance(seconds=6)
        assert _status(client) == ("stopping", 20)
        ls.clock.advance(seconds=24)
        assert _status(client) == ("stopped", 100)

    def test_held_until_finished_the_instance_staying_running(self, ls: LightsailMock, client: Client) -> None:
        _computer(client)
        ls.set_transitions("hold")
        client.start_gui_session(resourceName="vc-1")
        assert _status(client)[0] == "starting"
        assert client.get_instance_state(instanceName="vc-1")["state"]["name"] == "running"
        assert ls.finish_transitions("vc-1") == 1
        assert _status(client) == ("started", 100)

    def test_the_hour_counts_from_when_it_started(self, ls: LightsailMock, client: Client) -> None:
        _computer(client)
        ls.set_transitions("clock")
        client.start_gui_session(resourceName="vc-1")
        ls.clock.advance(seconds=30)
        ls.clock.advance(minutes=59, seconds=59)
        assert _status(client)[0] == "started"
        ls.clock.advance(seconds=1)
        assert _status(client)[0] == "startExpired"

    def test_setting_up_instance_while_a_new_computer_is_pending(self, ls: LightsailMock, client: Client) -> None:
        """A computer still being set up reports settingUpInstance; a session started meanwhile is
        up once the computer runs."""
        ls.set_transitions("clock")
        _computer(client)
        ls.clock.advance(seconds=3)
        assert _status(client) == ("settingUpInstance", 10)
        client.start_gui_session(resourceName="vc-1")
        assert _status(client)[0] == "settingUpInstance"
        ls.clock.advance(seconds=27)
        assert _status(client)[0] == "starting"
        ls.clock.advance(seconds=3)
        assert _status(client) == ("started", 100)


class TestTheComputersState:
    def test_stopping_the_computer_ends_its_session(self, client: Client) -> None:
        _computer(client)
        client.start_gui_session(resourceName="vc-1")
        client.stop_instance(instanceName="vc-1")
        assert _status(client) == ("stopped", 100)
        client.start_instance(instanceName="vc-1")
        assert _status(client) == ("stopped", 100)
        client.start_gui_session(resourceName="vc-1")
        assert _status(client) == ("started", 100)
        url = URL.fullmatch(_details(client)["sessions"][0]["url"])
        address = client.get_instance(instanceName="vc-1")["instance"]["publicIpAddress"]
        assert url is not None
        assert url["host"] == address

    def test_a_start_on_a_stopped_computer_fails(self, client: Client) -> None:
        """The call is accepted and the start fails: failedStartingGUISession, with its reason."""
        _computer(client)
        client.stop_instance(instanceName="vc-1")
        (operation,) = client.start_gui_session(resourceName="vc-1")["operations"]
        assert operation["status"] == "Started"
        body = _details(client)
        assert (body["status"], body["percentageComplete"], body["sessions"]) == ("failedStartingGUISession", 100, [])
        assert "vc-1 is stopped" in body["failureReason"]
        client.start_instance(instanceName="vc-1")
        client.start_gui_session(resourceName="vc-1")
        body = _details(client)
        assert body["status"] == "started"
        assert "failureReason" not in body

    def test_a_computer_stopped_before_its_session_is_up(self, ls: LightsailMock, client: Client) -> None:
        _computer(client)
        ls.set_transitions("hold")
        client.start_gui_session(resourceName="vc-1")
        client.stop_instance(instanceName="vc-1")
        ls.finish_transitions("vc-1")
        assert _status(client) == ("failedStartingGUISession", 100)


class TestRefusals:
    @pytest.mark.parametrize("method", ["create_gui_session_access_details", "start_gui_session", "stop_gui_session"])
    def test_an_ordinary_instance(self, client: Client, method: str) -> None:
        """GUI sessions are for virtual computers: an instance of an ordinary blueprint is refused,
        and nothing is logged."""
        create_instances(client, "web-1")
        logged = len(client.get_operations()["operations"])
        code, message = _error(getattr(client, method), resourceName="web-1")
        assert code == "InvalidInputException"
        assert "web-1 is not a Lightsail for Research virtual computer" in message
        assert len(client.get_operations()["operations"]) == logged

    @pytest.mark.parametrize("method", ["create_gui_session_access_details", "start_gui_session", "stop_gui_session"])
    def test_no_such_computer(self, client: Client, method: str) -> None:
        code, message = _error(getattr(client, method), resourceName="vc-9")
        assert code == "NotFoundException"
        assert "does not exist" in message

    def test_a_deleted_computer_takes_its_session_along(self, ls: LightsailMock, client: Client) -> None:
        """Its pending start lapses; a new computer of the same name starts with no session."""
        _computer(client)
        ls.set_transitions("hold")
        client.start_gui_session(resourceName="vc-1")
        client.delete_instance(instanceName="vc-1")
        assert _error(client.create_gui_session_access_details, resourceName="vc-1")[0] == "NotFoundException"
        ls.set_transitions("instant")
        _computer(client)
        ls.finish_transitions()
        assert _status(client) == ("notStarted", 0)
