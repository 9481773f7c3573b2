"""Helpers shared by the server tests: a ``lightmock server`` subprocess, clients over HTTP."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config

from lightmock.gateway.environment import FAKE_ACCESS_KEY_ID, FAKE_SECRET_ACCESS_KEY

URL = re.compile(r"http://\S+:\d+")


def http_client(url: str, region: str = "us-east-1", access_key: str = FAKE_ACCESS_KEY_ID) -> Any:
    """A Lightsail client that reaches ``url`` over HTTP (no retries: each call is one request),
    signing with the mock's own fake credentials unless given a key (a key id that is not 12
    digits: the server's default account)."""
    session = boto3.session.Session(
        aws_access_key_id=access_key, aws_secret_access_key=FAKE_SECRET_ACCESS_KEY, region_name=region
    )
    return session.client("lightsail", endpoint_url=url, config=Config(retries={"max_attempts": 1}))


def clean_environment(**extra: str) -> dict[str, str]:
    """The environment for a subprocess: no AWS configuration of the user's, fake credentials."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID=FAKE_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY=FAKE_SECRET_ACCESS_KEY,
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )
    env.update(extra)
    return env


@dataclass
class ServerProcess:
    """A running ``python -m lightmock server`` and the URL its first line gave."""

    process: subprocess.Popen[str]
    url: str
    first_line: str

    def stop(self, signal_number: int = signal.SIGTERM) -> tuple[int, str]:
        """Send the signal; the exit status and everything the server wrote on stderr."""
        self.process.send_signal(signal_number)
        _, err = self.process.communicate(timeout=30)
        return self.process.returncode, err


def start_server(*arguments: str) -> ServerProcess:
    """Start the command with ``--port 0`` and read the URL from its first line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "lightmock", "server", "--port", "0", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_environment(),
    )
    assert process.stdout is not None
    first_line = process.stdout.readline()
    match = URL.search(first_line)
    if match is None:
        process.kill()
        _, err = process.communicate(timeout=30)
        raise AssertionError(f"no URL on the server's first line {first_line!r}; stderr: {err}")
    return ServerProcess(process, match.group(0), first_line)


@contextmanager
def server_process(*arguments: str) -> Iterator[ServerProcess]:
    """A server subprocess for the block; stopped (and reaped) however the block ends."""
    server = start_server(*arguments)
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.process.kill()
            server.process.communicate(timeout=30)
