"""A database's log streams and log events: seeded through the handle and the control API,
read through a real boto3 client from the head or the tail, a page at a time in both
directions, as CloudWatch Logs' tokens work."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import requests

from lightmock import LightmockUsageError, LightsailMock, mock_lightsail
from lightmock.server import LightsailServer
from tests.helpers import T0, create_database, refusal, shared_client
from tests.serving import http_client

Client = Any
T0_EPOCH = T0.timestamp()


def events_of(client: Client, stream: str = "error", **extra: Any) -> dict[str, Any]:
    answer: dict[str, Any] = client.get_relational_database_log_events(
        relationalDatabaseName="db-1", logStreamName=stream, **extra
    )
    return answer


def messages(answer: dict[str, Any]) -> list[str]:
    return [event["message"] for event in answer["resourceLogEvents"]]


class TestStreams:
    def test_mysql_streams_as_the_example(self, client: Client) -> None:
        create_database(client, "db-1")
        streams = client.get_relational_database_log_streams(relationalDatabaseName="db-1")["logStreams"]
        assert streams == ["audit", "error", "general", "slowquery"]

    def test_postgres(self, client: Client) -> None:
        create_database(client, "db-1", relationalDatabaseBlueprintId="postgres_16")
        streams = client.get_relational_database_log_streams(relationalDatabaseName="db-1")["logStreams"]
        assert streams == ["postgresql"]


class TestEvents:
    def test_seeded_events_read_back_in_order(self, ls: LightsailMock, client: Client) -> None:
        create_database(client, "db-1")
        stored = ls.put_database_log_events(
            "db-1",
            "error",
            [(T0 - timedelta(minutes=2), "[Warning] second"), (T0_EPOCH - 300, "[Warning] first")],
        )
        assert stored == 2
        answer = events_of(client, startFromHead=True)
        assert [(event["createdAt"].timestamp(), event["message"]) for event in answer["resourceLogEvents"]] == [
            (T0_EPOCH - 300, "[Warning] first"),
            (T0_EPOCH - 120, "[Warning] second"),
        ]
        assert answer["nextForwardToken"]
        assert answer["nextBackwardToken"]
        assert messages(events_of(client, "general")) == []

    def test_an_event_ahead_of_the_clock_waits_for_it(self, ls: LightsailMock, client: Client) -> None:
        create_database(client, "db-1")
        ls.put_database_log_events("db-1", "slowquery", [(T0 + timedelta(minutes=5), "later")])
        assert messages(events_of(client, "slowquery")) == []
        ls.clock.advance(minutes=5)
        assert messages(events_of(client, "slowquery")) == ["later"]

    def test_start_and_end_times(self, ls: LightsailMock, client: Client) -> None:
        create_database(client, "db-1")
        ls.put_database_log_events("db-1", "error", [(T0_EPOCH - 60 * k, f"m{k}") for k in range(5, 0, -1)])
        answer = events_of(client, startTime=T0 - timedelta(minutes=4), endTime=T0 - timedelta(minutes=2))
        assert messages(answer) == ["m4", "m3"]  # the end is exclusive

    def test_refusals(self, client: Client) -> None:
        create_database(client, "db-1")
        assert refusal(lambda: events_of(client, "postgresql"))[0] == "NotFoundException"
        code, _ = refusal(lambda: events_of(client, startTime=T0, endTime=T0 - timedelta(minutes=1)))
        assert code == "InvalidInputException"
        create_database(client, "db-pg", relationalDatabaseBlueprintId="postgres_16")
        code, message = refusal(
            lambda: client.get_relational_database_log_events(
                relationalDatabaseName="db-pg", logStreamName="postgresql", startFromHead=True
            )
        )
        assert (code, "only option" in message) == ("InvalidInputException", True)
        assert refusal(lambda: client.get_relational_database_log_streams(relationalDatabaseName="nope"))[0] == (
            "NotFoundException"
        )


@pytest.fixture
def paged() -> Iterator[tuple[LightsailMock, Client]]:
    """A mock whose pages hold 2, with a database whose error log has 5 events."""
    with mock_lightsail(page_size=2) as mock:
        mock.clock.freeze(T0)
        client = shared_client()
        create_database(client, "db-1")
        mock.put_database_log_events("db-1", "error", [(T0_EPOCH - 60 * k, f"m{k}") for k in range(5, 0, -1)])
        yield mock, client


class TestPages:
    def test_forward_from_the_head_until_the_token_comes_back(self, paged: tuple[LightsailMock, Client]) -> None:
        _, client = paged
        answer = events_of(client, startFromHead=True)
        seen = messages(answer)
        while True:
            token = answer["nextForwardToken"]
            answer = events_of(client, pageToken=token)
            seen += messages(answer)
            if answer["nextForwardToken"] == token:
                break
        assert seen == ["m5", "m4", "m3", "m2", "m1"]

    def test_backward_from_the_tail(self, paged: tuple[LightsailMock, Client]) -> None:
        _, client = paged
        answer = events_of(client)
        assert messages(answer) == ["m2", "m1"]
        answer = events_of(client, pageToken=answer["nextBackwardToken"])
        assert messages(answer) == ["m4", "m3"]
        answer = events_of(client, pageToken=answer["nextBackwardToken"])
        assert messages(answer) == ["m5"]
        assert messages(events_of(client, pageToken=answer["nextBackwardToken"])) == []

    def test_new_events_after_the_last_page(self, paged: tuple[LightsailMock, Client]) -> None:
        mock, client = paged
        last = events_of(client)
        mock.put_database_log_events("db-1", "error", [(T0_EPOCH, "m0")])
        assert messages(events_of(client, pageToken=last["nextForwardToken"])) == ["m0"]

    def test_a_token_of_another_stream_is_refused(self, paged: tuple[LightsailMock, Client]) -> None:
        _, client = paged
        token = events_of(client)["nextForwardToken"]
        assert refusal(lambda: events_of(client, "general", pageToken=token))[0] == "InvalidInputException"


class TestSeedingMisuse:
    @pytest.mark.parametrize(
        ("database", "stream", "events", "words"),
        [
            ("nope", "error", [], "no database"),
            ("db-1", "postgresql", [], "has no log stream"),
            ("db-1", "error", [("not a time", "x")], "number"),
            ("db-1", "error", [(T0_EPOCH, 5)], "must be a string"),
            ("db-1", "error", ["loose"], "pair"),
        ],
    )
    def test_refused(
        self, ls: LightsailMock, client: Client, database: str, stream: str, events: Any, words: str
    ) -> None:
        create_database(client, "db-1")
        with pytest.raises(LightmockUsageError, match=words):
            ls.put_database_log_events(database, stream, events)
        assert messages(events_of(client, startFromHead=True)) == []


class TestControlApi:
    def test_seeded_over_http(self) -> None:
        with LightsailServer(port=0) as server:
            server.mock.clock.freeze(T0)
            remote = http_client(server.url)
            create_database(remote, "db-1")
            route = f"{server.url}/_lightmock/database-log-events"
            body = {
                "relationalDatabaseName": "db-1",
                "logStreamName": "general",
                "events": [{"createdAt": T0_EPOCH - 10, "message": "Connect dbmaster@10.0.0.5"}],
            }
            answer = requests.post(route, json=body, timeout=10)
            assert (answer.status_code, answer.json()) == (200, {"stored": 1})
            read = remote.get_relational_database_log_events(relationalDatabaseName="db-1", logStreamName="general")
            assert [event["message"] for event in read["resourceLogEvents"]] == ["Connect dbmaster@10.0.0.5"]
            bad = requests.post(route, json={**body, "events": [{"message": "no time"}]}, timeout=10)
            assert (bad.status_code, bad.json()["error"]) == (400, "LightmockUsageError")
            assert "createdAt" in bad.json()["message"]
