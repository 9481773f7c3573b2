"""Every ```python block in docs/*.md and README.md runs, and the generated page is current.

Blocks of one page run in order in one namespace, as a reader would type them. A block
whose first line is ``# not-run`` is skipped (with its reason); a block whose first line
names a test file (``# test_something.py``) is a pytest example and runs with ``pytester``;
a block whose first line names operations (``# needs: GetProfile``) is skipped where the
installed botocore's model lacks them (the suite also runs on the oldest botocore supported).
Whatever order the tests are collected or distributed in, a block first runs the blocks
before it on its page.
"""

from __future__ import annotations

import importlib.util
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import botocore
import botocore.endpoint
import pytest

from lightmock import LightsailMock
from lightmock.gateway.activations import innermost
from lightmock.schema.model import service_model
from tests.helpers import INNER_PYTEST_ARGS

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "docs").glob("*.md")) + [p for p in [ROOT / "README.md"] if p.exists()]
_FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_TEST_FILE = re.compile(r"# (test_\w+\.py)\s*$")
_NEEDS = re.compile(r"# needs: (\w+(?:, \w+)*)\s*$")
NOT_RUN = "# not-run"


@dataclass(frozen=True, slots=True)
class Block:
    page: Path
    index: int
    line: int
    source: str

    @property
    def first_line(self) -> str:
        return self.source.split("\n", 1)[0].strip()

    @property
    def test_file(self) -> str | None:
        match = _TEST_FILE.fullmatch(self.first_line)
        return match.group(1) if match else None

    @property
    def missing(self) -> list[str]:
        """The operations the block needs (``# needs: ...``) that the installed model lacks."""
        match = _NEEDS.fullmatch(self.first_line)
        if match is None:
            return []
        return sorted(set(match.group(1).split(", ")) - set(service_model().operation_names))

    @property
    def runs_in_namespace(self) -> bool:
        return self.test_file is None and not self.first_line.startswith(NOT_RUN) and not self.missing


def blocks(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    return [
        Block(page, index, text.count("\n", 0, match.start()) + 2, match.group(1))
        for index, match in enumerate(_FENCE.finditer(text))
    ]


BLOCKS = [block for page in PAGES for block in blocks(page)]


@dataclass(slots=True)
class PageRun:
    """One page's namespace and how far through its blocks it has run."""

    namespace: dict[str, Any] = field(default_factory=lambda: {"__name__": "__docs__"})
    done: int = -1
    failed: int | None = None


_RUNS: dict[Path, PageRun] = {}


def _stop_mocks(run: PageRun) -> None:
    for value in run.namespace.values():
        if isinstance(value, LightsailMock) and value.active:
            value.stop()


def _leave_other_pages(page: Path) -> None:
    """A page runs block by block in one namespace, with a mock that may stay on from one
    block to the next (``ls.start()`` in one, ``ls.stop()`` in a later one). Under xdist a
    worker can move to another page before the page's last block (another worker took it),
    and a mock left on would then answer the other page's calls, whatever their endpoint. So
    a worker stops the mocks of the pages it leaves and forgets their runs: a page it comes
    back to runs again from its first block, in a fresh namespace."""
    for other in [other for other in _RUNS if other != page]:
        _stop_mocks(_RUNS.pop(other))


def run_through(block: Block) -> None:
    _leave_other_pages(block.page)
    run = _RUNS.setdefault(block.page, PageRun())
    for earlier in blocks(block.page)[run.done + 1 : block.index + 1]:
        if run.failed is not None:
            pytest.fail(f"block {run.failed} of {block.page.name} failed, so the blocks after it cannot run")
        run.done = earlier.index
        if not earlier.runs_in_namespace:
            continue
        code = compile("\n" * (earlier.line - 1) + earlier.source, str(earlier.page), "exec")
        try:
            exec(code, run.namespace)
        except BaseException:
            run.failed = earlier.index
            raise


@pytest.fixture(scope="module", autouse=True)
def _stop_leftover_mocks() -> Iterator[None]:
    """A page whose block failed half-way may leave a mock on; never let it leak."""
    yield
    for run in _RUNS.values():
        _stop_mocks(run)


class _TimeWithoutBackoff:
    """The ``time`` module as botocore's endpoint sees it, with its sleep between retries
    skipped: a page showing retries runs in no time, and every attempt is still made."""

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    @staticmethod
    def sleep(seconds: float) -> None:
        del seconds


class TestCodeBlocks:
    @pytest.mark.parametrize("block", BLOCKS, ids=[f"{b.page.name}:{b.line}" for b in BLOCKS])
    def test_block_runs(
        self, block: Block, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """The block runs without error (after the blocks before it on its page), in a scratch directory."""
        monkeypatch.chdir(tmp_path)
        monkeypatch.setattr(botocore.endpoint, "time", _TimeWithoutBackoff())
        if block.first_line.startswith(NOT_RUN):
            pytest.skip(f"{block.page.name} line {block.line}: {block.first_line}")
        if block.missing:
            pytest.skip(f"botocore {botocore.__version__}'s Lightsail model lacks {', '.join(block.missing)}")
        if block.test_file is not None:
            pytester: pytest.Pytester = request.getfixturevalue("pytester")
            pytester.makepyfile(**{block.test_file.removesuffix(".py"): block.source})
            result = pytester.runpytest(*INNER_PYTEST_ARGS)
            expected = len(re.findall(r"^\s*(?:async )?def test_", block.source, re.MULTILINE))
            result.assert_outcomes(passed=expected)
            return
        run_through(block)
        last = max(b.index for b in blocks(block.page) if b.runs_in_namespace)
        if block.index == last:
            assert innermost() is None, f"{block.page.name} leaves a mock active after its last block"

    def test_skips_are_few(self) -> None:
        """Almost every example runs: at most one ``# not-run`` block per page."""
        for page in PAGES:
            skipped = [b.line for b in blocks(page) if b.first_line.startswith(NOT_RUN)]
            assert len(skipped) <= 1, f"{page.name} skips the blocks at lines {skipped}"


class TestPages:
    @pytest.mark.parametrize(
        "name",
        [
            "installation.md",
            "quickstart.md",
            "metrics-and-clock.md",
            "alarm-evaluation.md",
            "notifications.md",
            "fault-injection.md",
            "server.md",
            "notebooks.md",
            "coming-from-moto.md",
            "operations.md",
            "limits.md",
            "performance.md",
            "changelog.md",
            "service-reference.md",
            "architecture.md",
        ],
    )
    def test_page_exists(self, name: str) -> None:
        """Each guide is there and starts with a title."""
        assert (ROOT / "docs" / name).read_text(encoding="utf-8").startswith("# ")

    def test_ci_runs_the_readme_test_command_exactly(self) -> None:
        """The README's test command is a line of .ci/run, word for word."""
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        section = readme.split("Run the whole test suite", 1)[1]
        command = re.search(r"```bash\n(.+?)\n```", section, re.DOTALL)
        assert command is not None
        assert " -m pytest" in command.group(1)
        ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        assert command.group(1).strip() in ci_lines

    def test_every_guide_is_linked_from_the_readme(self) -> None:
        """Each page of docs/ is in the README's "Guides" list, so a reader can find it."""
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        guides = readme.split("## Guides", 1)[1].split("\n## ", 1)[0]
        linked = set(re.findall(r"\]\(docs/([^)#]+\.md)\)", guides))
        pages = {page.name for page in (ROOT / "docs").glob("*.md")}
        assert pages - linked == set()

    def test_links_between_pages_resolve(self) -> None:
        """Every relative link to a .md or .ipynb file points at a file that exists."""
        for page in PAGES:
            for target in re.findall(r"\]\(([^)#:]+\.(?:md|ipynb))(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
                assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


#: Where the project's code, tests and scripts live: everything that may cite docs/.
_CITING = [ROOT / "lightmock", ROOT / "tests", ROOT / "benchmarks", ROOT / "scripts"]
_CITATION = re.compile(r"docs/([\w-]+\.md)`*\s*(?:§\s*|section\s+)(\d+(?:\.\d+)*)")
_HEADING_NUMBER = re.compile(r"^#{2,4} (\d+(?:\.\d+)*)\.?\s", re.MULTILINE)


def _citing_files() -> list[Path]:
    return [path for folder in _CITING if folder.exists() for path in sorted(folder.rglob("*.py"))]


def _has_section(page: str, number: str) -> bool:
    """A heading numbered ``number``, or (for ``a.b`` under a section without sub-headings)
    item ``b`` of the numbered list in section ``a``."""
    headings = _HEADING_NUMBER.findall(page)
    if number in headings:
        return True
    parent, _, item = number.rpartition(".")
    if not parent or parent not in headings:
        return False
    section = re.split(rf"^#{{2,4}} {re.escape(parent)}\.?\s", page, maxsplit=1, flags=re.MULTILINE)[1]
    section = re.split(r"^#{2,4} ", section, maxsplit=1, flags=re.MULTILINE)[0]
    return re.search(rf"^{item}\. ", section, re.MULTILINE) is not None


class TestCitations:
    """Whatever the code cites lives in docs/, and the cited section is there."""

    def test_cited_pages_exist(self) -> None:
        """Every ``docs/<page>.md`` named in the code, tests or scripts exists."""
        missing = {
            f"{path.relative_to(ROOT)}: docs/{name}"
            for path in _citing_files()
            for name in re.findall(r"docs/([\w-]+\.md)", path.read_text(encoding="utf-8"))
            if not (ROOT / "docs" / name).exists()
        }
        assert missing == set()

    def test_cited_sections_exist(self) -> None:
        """Every ``docs/<page>.md §N`` (or "section N") names a numbered heading or item of that page."""
        cited = [
            (path, name, number)
            for path in _citing_files()
            for name, number in _CITATION.findall(path.read_text(encoding="utf-8"))
        ]
        assert cited, "no section citations found: has the citation form changed?"
        missing = [
            f"{path.relative_to(ROOT)}: docs/{name} §{number}"
            for path, name, number in cited
            if not _has_section((ROOT / "docs" / name).read_text(encoding="utf-8"), number)
        ]
        assert missing == []

    def test_cited_headings_exist(self) -> None:
        """Every ``docs/<page>.md, "Heading"`` names a heading of that page, word for word."""
        cited = [
            (path, name, heading)
            for path in _citing_files()
            for name, heading in re.findall(r'docs/([\w-]+\.md),? "([^"]+)"', path.read_text(encoding="utf-8"))
        ]
        missing = [
            f'{path.relative_to(ROOT)}: docs/{name} "{heading}"'
            for path, name, heading in cited
            if not re.search(
                rf"^#+ {re.escape(heading)}\s*$", (ROOT / "docs" / name).read_text(encoding="utf-8"), re.MULTILINE
            )
        ]
        assert missing == []

    def test_no_citation_of_files_outside_the_repository(self) -> None:
        """The team's research notes are not in the repository, so nothing may cite them."""
        outside = ["LIGHTSAIL_" + "REFERENCE", "ALARM_" + "SEMANTICS"]
        texts = [*_citing_files(), *PAGES]
        found = [
            f"{path.relative_to(ROOT)}: {name}"
            for path in texts
            for name in outside
            if name in path.read_text(encoding="utf-8")
        ]
        assert found == []


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("gen_operations_doc", ROOT / "scripts" / "gen_operations_doc.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestOperationsPage:
    def test_is_current(self) -> None:
        """docs/operations.md is exactly what the generator makes from OPERATIONS."""
        generator = _generator()
        assert (ROOT / "docs" / "operations.md").read_text(encoding="utf-8") == generator.render(), (
            "docs/operations.md is stale: run python scripts/gen_operations_doc.py"
        )

    def test_check_mode(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``--check`` exits 0 on the current page."""
        assert _generator().main(["--check"]) == 0
        assert "up to date" in capsys.readouterr().out

    def test_check_mode_fails_when_stale(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        """``--check`` exits 1 when the page differs from the table."""
        generator = _generator()
        stale = tmp_path / "operations.md"
        stale.write_text("# Implemented operations\n", encoding="utf-8")
        monkeypatch.setattr(generator, "PAGE", stale)
        assert generator.main(["--check"]) == 1

    def test_lists_every_operation(self) -> None:
        """Every operation of the table appears on the page."""
        from lightmock.service.dispatch import OPERATIONS

        page = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
        assert all(f"| `{operation}` |" in page for operation in OPERATIONS)
