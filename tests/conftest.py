"""Suite-wide guards: no network at all, and every response checked against the model.

``socket.connect`` and name resolution refuse anything but loopback for the whole
session, so a test passes only if nothing lightmock does (credential lookup, the metadata
service, a request that escaped the hook) leaves the machine. Loopback stays open for
the Jupyter kernel of the notebook test.

Every body the mock answers with is checked against the operation's output shape: no
member the model lacks, every enum value legal, types right, no nulls. And every call
leaves the stored records it found as they were (``tests/shared_bodies.py``).
"""

from __future__ import annotations

import gc
import ipaddress
import os
import pickle
import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.loaders import JSONFileLoader, Loader

from lightmock import LightsailMock, mock_lightsail
from lightmock.plugin import lightsail, lightsail_server  # noqa: F401 -- the plugin's fixture also when run from a checkout never installed
from lightmock.schema.model import service_model
from lightmock.schema.validation import output_problems
from lightmock.service import dispatch
from lightmock.service.families import OPERATIONS
from tests import shared_bodies
from tests.helpers import T0, shared_client


def pytest_configure(config: pytest.Config) -> None:
    """Make ``PYTHONPATH`` absolute for the programs the tests start (a Jupyter kernel in
    another directory, ``lightmock server``, the AWS CLI): ``PYTHONPATH=. pytest`` from a
    checkout that was never installed must reach lightmock there too."""
    entries = os.environ.get("PYTHONPATH")
    if entries:
        os.environ["PYTHONPATH"] = os.pathsep.join(os.path.abspath(entry) for entry in entries.split(os.pathsep))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what import and collection made (botocore's models, hypothesis's strategies, the
    test items), which lives to the end of the run, so that full garbage collections stop
    scanning it, and collect less often: the suite allocates fast (botocore clients, hypothesis
    examples), and with the defaults collection took about 8 of its 46 seconds; this way about 5."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


class NetworkBlocked(OSError):
    """A test tried to reach a host other than this machine."""


def _is_loopback(host: Any) -> bool:
    if host in (None, "", "localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
        raise NetworkBlocked(f"network access blocked in tests: connect to {address!r}")
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> Any:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
        raise NetworkBlocked(f"network access blocked in tests: connect to {address!r}")
    return _real_connect_ex(self, address)


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if not _is_loopback(host.decode() if isinstance(host, bytes) else host):
        raise NetworkBlocked(f"network access blocked in tests: resolve {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True, scope="session")
def _no_network() -> Iterator[None]:
    patch = pytest.MonkeyPatch()
    patch.setattr(socket.socket, "connect", _guarded_connect)
    patch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    patch.setattr(socket, "getaddrinfo", _guarded_getaddrinfo)
    yield
    patch.undo()


@pytest.fixture(autouse=True, scope="session")
def _botocore_data_read_once() -> Iterator[None]:
    """Each botocore data file (the Lightsail model, ``endpoints.json``, partitions) read and
    parsed once per run, and the data directories listed once; every load still gets data of
    its own.

    A new botocore session parses the files again and lists some 400 service directories,
    and the suite makes a few hundred sessions on purpose (a session per thread, the AWS
    CLI's driver, sessions made before a mock starts). What is shared is immutable: the
    parsed data pickled once, unpickled afresh for every load (a fraction of botocore's
    parse), so a consumer that changes the data it was handed (moto's router does) changes
    nothing another session sees, and the code under test sees what it sees outside the suite."""
    pickled: dict[str, bytes | None] = {}
    listed: dict[tuple[Any, ...], tuple[str, ...]] = {}
    parse, list_services = JSONFileLoader.load_file, Loader.list_available_services

    def load_file(loader: JSONFileLoader, file_path: str) -> Any:
        if file_path not in pickled:
            data = parse(loader, file_path)
            pickled[file_path] = None if data is None else pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        frozen = pickled[file_path]
        return None if frozen is None else pickle.loads(frozen)

    def list_available_services(loader: Loader, type_name: str) -> list[str]:
        key = (*loader.search_paths, type_name)
        if key not in listed:
            listed[key] = tuple(list_services(loader, type_name))
        return list(listed[key])

    patch = pytest.MonkeyPatch()
    patch.setattr(JSONFileLoader, "load_file", load_file)
    patch.setattr(Loader, "list_available_services", list_available_services)
    yield
    patch.undo()


def _check_response(operation: str, body: dict[str, Any]) -> None:
    problems = output_problems(operation, body)
    assert not problems, f"{operation} answered a body that breaks its output shape: {problems}"


@pytest.fixture(autouse=True, scope="session")
def _responses_checked_against_model() -> Iterator[None]:
    dispatch.response_check = _check_response
    yield
    dispatch.response_check = None


@pytest.fixture(autouse=True, scope="session")
def _stored_records_never_edited_in_place() -> Iterator[None]:
    """Every call, answered or refused, leaves the bodies it found as they were: a change
    replaces a body, never edits it or a value in it (``tests/shared_bodies.py``)."""
    answer = dispatch._answer

    def guarded(store: Any, account_id: str, region: str, operation: str, params: dict[str, Any]) -> Any:
        before = shared_bodies.fingerprints(store)
        try:
            return answer(store, account_id, region, operation, params)
        finally:
            edited = shared_bodies.edited_in_place(before)
            assert not edited, f"{operation} edited stored records in place: {edited}"

    patch = pytest.MonkeyPatch()
    patch.setattr(dispatch, "_answer", guarded)
    yield
    patch.undo()


@pytest.fixture
def unimplemented(monkeypatch: pytest.MonkeyPatch) -> str:
    """An operation of the installed model, taking no required parameter, that lightmock does
    not answer during the test: one it lacks if there is one, else one taken out of the
    operation table for the test, as when a botocore release ships an operation lightmock
    does not have yet."""
    model = service_model()
    candidates = [
        name
        for name in sorted(model.operation_names)
        if (shape := model.operation_model(name).input_shape) is None or not shape.required_members
    ]
    lacking = [name for name in candidates if name not in OPERATIONS]
    if lacking:
        return lacking[0]
    name = "GetProfile" if "GetProfile" in candidates else candidates[0]
    monkeypatch.delitem(OPERATIONS, name)
    return name


@pytest.fixture
def ls() -> Iterator[LightsailMock]:
    """An active mock whose clock is frozen at ``T0``."""
    with mock_lightsail() as mock:
        mock.clock.freeze(T0)
        yield mock


@pytest.fixture
def client(ls: LightsailMock) -> Any:
    """A us-east-1 Lightsail client answered by ``ls`` (``helpers.shared_client``)."""
    return shared_client()


@pytest.fixture
def add_contact_methods(ls: LightsailMock) -> Callable[[Any, list[str], bool], None]:
    """A function creating the contact methods ``configured`` names, the Email one verified through ``ls`` if asked."""

    def add(client: Any, configured: list[str], verified: bool) -> None:
        if "Email" in configured:
            client.create_contact_method(protocol="Email", contactEndpoint="ops@example.com")
            if verified:
                ls.verify_contact_method("Email")
        if "SMS" in configured:
            client.create_contact_method(protocol="SMS", contactEndpoint="+12065550100")

    return add
