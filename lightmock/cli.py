"""The ``lightmock`` command: a thin shell over the library (``main(argv) -> exit code``).

``lightmock demo`` tells one alarm's story in the terminal (``lightmock.demo``) and, with
``--plot FILE.png``, draws it. ``lightmock server`` serves the mock over HTTP until stopped
(``lightmock.server``, docs/server.md). ``python -m lightmock`` is the same command.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from lightmock import __version__
from lightmock.core.exceptions import LightmockUsageError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lightmock",
        description="An in-process mock of Amazon Lightsail's alarm and metrics API.",
    )
    parser.add_argument("--version", action="version", version=f"lightmock {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo",
        help="walk through an alarm's life: instance, metrics, alarm, clock, notifications",
        description="Create an instance, seed a CPU spike, put an alarm and move the clock through the spike; "
        "no AWS account or network needed.",
    )
    demo.add_argument(
        "--plot", metavar="FILE.png", type=Path, help="also draw the alarm into this image (needs lightmock[plot])"
    )
    server = commands.add_parser(
        "server",
        help="serve the mock over HTTP for the AWS CLI, Terraform and SDKs of other languages",
        description="Serve Lightsail over HTTP until SIGINT or SIGTERM; the first line printed holds the URL. "
        "See docs/server.md.",
    )
    server.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    server.add_argument("--port", type=int, default=4580, help="port to listen on; 0 picks a free one (default 4580)")
    server.add_argument(
        "--account-id", metavar="ID", help="the account of requests whose access key id is not 12 digits"
    )
    server.add_argument("--region", help="the region of requests that name none in their signature")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "demo":
        from lightmock import demo

        started = time.perf_counter()
        try:
            demo.run(sys.stdout, plot=args.plot)
        except LightmockUsageError as error:
            print(f"lightmock: {error}", file=sys.stderr)
            return 1
        print(f"\n(demo finished in {time.perf_counter() - started:.1f} s)")
        return 0
    if args.command == "server":
        from lightmock.server import command

        return command.run(host=args.host, port=args.port, account_id=args.account_id, region=args.region)
    raise AssertionError(f"unhandled command {args.command!r}")  # argparse only lets known commands through
