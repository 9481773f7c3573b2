"""``lightmock server`` as a network service: HTTP/1.1 as RFC 9110 and RFC 9112 require it,
limits on bodies and connections, and browsers' requests refused by their ``Origin``.

Every case goes through a raw socket (the bytes a careless or hostile client sends) or a
real client (``http.client``, boto3, ``requests``) to a ``LightsailServer`` on loopback.
"""

from __future__ import annotations

import http.client
import json
import selectors
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from lightmock.server import LightsailServer, listener
from lightmock.server.connection import MAX_BODY_BYTES
from tests.serving import http_client

GET_ALARMS = b"X-Amz-Target: Lightsail_20161128.GetAlarms\r\nContent-Type: application/x-amz-json-1.1\r\n"


@pytest.fixture
def server() -> Iterator[LightsailServer]:
    with LightsailServer(port=0) as running:
        yield running


class Exchange:
    """What came back for bytes sent on a fresh connection: the bytes, and whether the
    server closed the connection (rather than fell silent for a second, keeping it open)."""

    def __init__(self, received: bytes, closed: bool) -> None:
        self.received = received
        self.closed = closed

    @property
    def status(self) -> int:
        return int(self.received.split(b" ", 2)[1])

    @property
    def head(self) -> bytes:
        return self.received.partition(b"\r\n\r\n")[0].lower()

    @property
    def body(self) -> Any:
        return json.loads(self.received.partition(b"\r\n\r\n")[2])


def exchange(server: LightsailServer, request: bytes, silence: float = 1.0) -> Exchange:
    """Send ``request``, read until the server closes the connection or ``silence`` seconds pass."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(request)
        connection.settimeout(silence)
        received = b""
        try:
            while chunk := connection.recv(65536):
                received += chunk
        except TimeoutError:
            return Exchange(received, closed=False)
    return Exchange(received, closed=True)


def post(headers: bytes, body: bytes = b"{}") -> bytes:
    return b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + GET_ALARMS + headers + b"\r\n" + body


class TestContentLength:
    @pytest.mark.parametrize(
        "length",
        [b"\xb2", "²".encode(), b"9" * 5_000, str(10**20).encode(), b"-1", b"2, 3"],
        ids=["superscript-two-latin-1", "superscript-two-utf-8", "5000-digits", "10^20", "negative", "two-values"],
    )
    def test_a_length_it_cannot_use_is_400_and_closed(self, server: LightsailServer, length: bytes) -> None:
        """Not 1 to 20 ASCII digits, or two different values: 400 and the connection closed
        (RFC 9112 §6.3: an invalid Content-Length is an unrecoverable framing error)."""
        answer = exchange(server, post(b"Content-Length: " + length + b"\r\n"))
        assert (answer.status, answer.closed) == (400, True)
        assert b"connection: close" in answer.head

    def test_a_length_over_the_cap_is_413_before_any_body(self, server: LightsailServer) -> None:
        """2^50 bytes announced: refused with 413 at once, nothing reserved or awaited."""
        answer = exchange(server, post(b"Content-Length: " + str(2**50).encode() + b"\r\n", body=b""))
        assert (answer.status, answer.closed) == (413, True)
        assert str(MAX_BODY_BYTES) in answer.body["message"]

    def test_the_cap_holds_for_a_chunked_body(self, server: LightsailServer) -> None:
        """A body in chunks that grows past the cap is refused with 413 too."""
        chunk = b"x" * 65536
        chunks = (b"%x\r\n" % len(chunk) + chunk + b"\r\n") * (MAX_BODY_BYTES // len(chunk) + 1)
        answer = exchange(server, post(b"Transfer-Encoding: chunked\r\n", body=chunks + b"0\r\n\r\n"))
        assert (answer.status, answer.closed) == (413, True)

    def test_a_body_at_the_cap_is_served(self, server: LightsailServer) -> None:
        """The cap is the cap: a body of exactly that size is read and answered (here refused by
        Lightsail's validation, as a name that long is)."""
        body = json.dumps({"alarmName": "x" * (MAX_BODY_BYTES - 17)}).encode()
        assert len(body) == MAX_BODY_BYTES
        answer = exchange(server, post(b"Content-Length: %d\r\nConnection: close\r\n" % len(body), body=body))
        assert (answer.status, answer.body["__type"]) == (400, "InvalidInputException")


class TestRfcMusts:
    """Each of these was accepted by the hand-written reader; each is a MUST of RFC 9110/9112."""

    def test_two_different_content_lengths_are_refused(self, server: LightsailServer) -> None:
        """RFC 9112 §6.3: a message with differing Content-Length values is invalid (the old
        reader took the last one and waited for bytes that never came)."""
        answer = exchange(server, post(b"Content-Length: 2\r\nContent-Length: 20\r\n"))
        assert (answer.status, answer.closed) == (400, True)

    def test_whitespace_before_the_colon_is_refused(self, server: LightsailServer) -> None:
        """RFC 9112 §5.1: a server MUST reject a header with whitespace between name and colon."""
        answer = exchange(server, post(b"Content-Length : 2\r\n"))
        assert (answer.status, answer.closed) == (400, True)

    @pytest.mark.parametrize(
        "hosts", [b"", b"Host: 127.0.0.1\r\nHost: evil.example\r\n"], ids=["no-host", "two-hosts"]
    )
    def test_an_http_1_1_request_needs_exactly_one_host(self, server: LightsailServer, hosts: bytes) -> None:
        """RFC 9112 §3.2: 400 to an HTTP/1.1 request with no Host or more than one."""
        answer = exchange(server, b"POST / HTTP/1.1\r\n" + hosts + GET_ALARMS + b"Content-Length: 2\r\n\r\n{}")
        assert (answer.status, answer.closed) == (400, True)

    def test_a_transfer_coding_it_cannot_read_is_501(self, server: LightsailServer) -> None:
        """RFC 9112 §6.1: a coding the server does not understand gets 501, not an empty body."""
        answer = exchange(server, post(b"Transfer-Encoding: gzip\r\n", body=b"\x1f\x8b"))
        assert (answer.status, answer.closed) == (501, True)

    def test_content_length_with_transfer_encoding_is_refused_and_closed(self, server: LightsailServer) -> None:
        """RFC 9112 §6.3: such a request may be refused, and the connection MUST be closed after
        the answer, whatever it is (request smuggling)."""
        answer = exchange(server, post(b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", body=b"0\r\n\r\n"))
        assert (answer.status, answer.closed) == (400, True)

    def test_an_answer_to_head_has_no_body(self, server: LightsailServer) -> None:
        """RFC 9110 §9.3.2: HEAD is GET without the content. http.client reads the next answer on
        the same connection right after the head: a body sent anyway would be read as its start."""
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        connection.request("HEAD", "/_lightmock/health")
        head = connection.getresponse()
        assert head.status == 200
        assert int(head.getheader("content-length")) > 0  # the length a GET would have
        assert head.read() == b""
        connection.request("GET", "/_lightmock/clock")
        answer = connection.getresponse()
        assert (answer.status, list(json.loads(answer.read()))) == (200, ["now"])
        connection.close()

    def test_connection_close_among_other_options_closes(self, server: LightsailServer) -> None:
        """RFC 9112 §9.6: ``Connection`` is a list; ``close`` anywhere in it closes after the answer."""
        answer = exchange(server, post(b"Connection: TE, close\r\nTE: trailers\r\nContent-Length: 2\r\n"))
        assert (answer.status, answer.closed) == (200, True)

    @pytest.mark.parametrize(
        ("method", "path", "member"), [(b"GET", "/_lightmock/health", "status"), (b"POST", "/", "alarms")]
    )
    def test_an_absolute_form_target_is_served(
        self, server: LightsailServer, method: bytes, path: str, member: str
    ) -> None:
        """RFC 9112 §3.2.2: a server MUST accept the absolute form (``http://host:port/path``)."""
        target = f"http://127.0.0.1:{server.port}{path}".encode()
        answer = exchange(
            server,
            method + b" " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + GET_ALARMS
            + b"Content-Length: 2\r\nConnection: close\r\n\r\n{}",
        )
        assert answer.status == 200
        assert member in answer.body

    def test_no_100_continue_to_http_1_0(self, server: LightsailServer) -> None:
        """RFC 9110 §10.1.1: a server MUST NOT send 100 Continue to an HTTP/1.0 client."""
        answer = exchange(
            server,
            b"POST / HTTP/1.0\r\nHost: 127.0.0.1\r\n" + GET_ALARMS
            + b"Expect: 100-continue\r\nContent-Length: 2\r\n\r\n{}",
        )
        assert answer.received.startswith(b"HTTP/1.1 200 ")
        assert b" 100 " not in answer.received


class TestConnections:
    def test_a_burst_of_fifty_clients_is_accepted_at_once(self, server: LightsailServer) -> None:
        """Fifty connections opened together all complete within half a second, and each is answered.

        With a listen backlog of 5, the kernel dropped the handshakes beyond it, and those
        clients waited for their first SYN retry, which comes after 1 s (and the next after 3):
        half a second tells the two apart without timing the server itself."""
        sockets = [socket.socket() for _ in range(50)]
        try:
            with selectors.DefaultSelector() as selector:
                for each in sockets:
                    each.setblocking(False)
                    each.connect_ex(("127.0.0.1", server.port))
                    selector.register(each, selectors.EVENT_WRITE)
                deadline = time.monotonic() + 0.5
                while selector.get_map() and (left := deadline - time.monotonic()) > 0:
                    for key, _ in selector.select(timeout=left):
                        selector.unregister(key.fileobj)
                assert len(selector.get_map()) == 0, "connections still waiting for the handshake"
            for each in sockets:
                assert each.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
                each.setblocking(True)
                each.settimeout(10)
                each.sendall(b"GET /_lightmock/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            for each in sockets:
                received = b""
                while chunk := each.recv(65536):
                    received += chunk
                assert received.startswith(b"HTTP/1.1 200 ")
        finally:
            for each in sockets:
                each.close()

    def test_connections_beyond_the_cap_are_turned_away_with_503(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """At the cap a new client gets 503 at once (SDKs retry it), naming the cap; once a
        connection closes, the next is served."""
        monkeypatch.setattr(listener, "MAX_CONNECTIONS", 2)
        with LightsailServer(port=0) as server:
            first, second = (http.client.HTTPConnection("127.0.0.1", server.port, timeout=10) for _ in range(2))
            for connection in (first, second):
                connection.request("GET", "/_lightmock/health")
                assert connection.getresponse().read()
            turned_away = requests.post(server.url, data=b"{}", headers={"X-Amz-Target": "x"}, timeout=10)
            assert turned_away.status_code == 503
            assert turned_away.headers["retry-after"] == "1"
            assert "at most 2 connections" in turned_away.json()["message"]
            first.request("GET", "/_lightmock/health", headers={"Connection": "close"})
            answer = first.getresponse()
            answer.read()
            assert answer.will_close
            # The server freed the slot before closing the socket, and the close has been read.
            first.close()
            assert http_client(server.url).get_alarms()["alarms"] == []
            second.close()

    def test_an_idle_connection_is_closed(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A client that connects and says nothing is let go after the idle timeout, silently."""
        monkeypatch.setattr(listener, "IDLE_TIMEOUT", 0.2)
        with LightsailServer(port=0) as server, socket.create_connection(("127.0.0.1", server.port)) as idle:
            idle.settimeout(10)
            assert idle.recv(65536) == b""

    def test_a_request_left_half_way_is_408_then_closed(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A client that stops half-way through a request gets 408 Request Timeout, then the close."""
        monkeypatch.setattr(listener, "IDLE_TIMEOUT", 0.2)
        with LightsailServer(port=0) as server:
            answer = exchange(server, b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n{", silence=10)
        assert (answer.status, answer.closed) == (408, True)


def delete_instance(server: LightsailServer, **headers: str) -> requests.Response:
    return requests.post(
        server.url,
        data=b'{"instanceName": "web-1"}',
        headers={
            "X-Amz-Target": "Lightsail_20161128.DeleteInstance",
            "Content-Type": "application/x-amz-json-1.1",
            **headers,
        },
        timeout=10,
    )


class TestOrigin:
    """Browsers send ``Origin``; SDKs do not. A page's request reaches no path of the server."""

    @pytest.fixture
    def web_1(self, server: LightsailServer) -> Any:
        client = http_client(server.url)
        client.create_instances(
            instanceNames=["web-1"], availabilityZone="us-east-1a", blueprintId="ubuntu_22_04", bundleId="nano_3_0"
        )
        return client

    def test_dns_rebinding_cannot_delete_an_instance(self, server: LightsailServer, web_1: Any) -> None:
        """A page of evil.example, rebound to 127.0.0.1, is same-origin with it: Host and Origin
        match, both foreign. Refused with 403, and the instance is still there."""
        host = f"evil.example:{server.port}"
        answer = delete_instance(server, Host=host, Origin=f"http://{host}")
        assert answer.status_code == 403
        assert "Origin" in answer.json()["message"]
        assert [i["name"] for i in web_1.get_instances()["instances"]] == ["web-1"]

    @pytest.mark.parametrize(
        "origin",
        ["http://localhost:3000", "null", "https://127.0.0.1:{port}", "http://evil.example:{port}"],
        ids=["other-local-page", "null", "https", "other-host"],
    )
    def test_any_other_origin_is_refused_on_every_path(
        self, server: LightsailServer, web_1: Any, origin: str
    ) -> None:
        """Cross-origin pages too: on ``POST /`` and on the control API alike."""
        origin = origin.format(port=server.port)
        assert delete_instance(server, Origin=origin).status_code == 403
        reset = requests.post(f"{server.url}/_lightmock/reset", json={}, headers={"Origin": origin}, timeout=10)
        assert reset.status_code == 403
        assert [i["name"] for i in web_1.get_instances()["instances"]] == ["web-1"]

    def test_a_second_origin_field_counts(self, server: LightsailServer) -> None:
        """Two ``Origin`` fields are one list (RFC 9110 §5.3), which is no origin of this server."""
        own = f"Origin: http://127.0.0.1:{server.port}\r\n".encode()
        answer = exchange(server, post(own + b"Origin: http://evil.example\r\nContent-Length: 2\r\n"))
        assert (answer.status, answer.closed) == (403, True)

    def test_the_servers_own_origin_is_served(self, server: LightsailServer, web_1: Any) -> None:
        """An Origin that is this server as addressed (a page it served, were it to serve any) passes."""
        assert delete_instance(server, Origin=f"http://127.0.0.1:{server.port}").status_code == 200
        assert web_1.get_instances()["instances"] == []
