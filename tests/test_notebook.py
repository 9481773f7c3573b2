"""The walkthrough notebook runs top to bottom in a real Jupyter kernel, and is stored clean."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

NOTEBOOK = Path(__file__).parent.parent / "docs" / "notebooks" / "alarm-walkthrough.ipynb"


def ensure_python3_kernel() -> None:
    """The ``python3`` kernel spec of this interpreter, installed for the user if missing."""
    from jupyter_client.kernelspec import find_kernel_specs

    if "python3" not in find_kernel_specs():
        from ipykernel.kernelspec import install

        install(user=True)
    assert "python3" in find_kernel_specs(), "could not install the python3 Jupyter kernel spec"


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The notebook after running every cell (a cell that raises fails the fixture)."""
    import nbformat  # nbformat and nbclient here, not at the top: every xdist worker collects this module
    from nbclient import NotebookClient

    ensure_python3_kernel()
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    workdir = tmp_path_factory.mktemp("notebook")
    NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
    ).execute()
    return notebook


def outputs(notebook: Any, source_start: str) -> list[Any]:
    (cell,) = [c for c in notebook.cells if c.cell_type == "code" and c.source.startswith(source_start)]
    return list(cell.outputs)


class TestWalkthroughNotebook:
    def test_is_stored_without_outputs(self) -> None:
        """The stored notebook has no outputs or execution counts, and is valid nbformat 4."""
        import nbformat

        notebook = nbformat.read(NOTEBOOK, as_version=4)
        nbformat.validate(notebook)
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        assert code
        assert all(cell.outputs == [] and cell.execution_count is None for cell in code)

    def test_runs_without_errors(self, executed: Any) -> None:
        """Every code cell ran, and none produced an error output."""
        code = [cell for cell in executed.cells if cell.cell_type == "code"]
        assert all(cell.execution_count is not None for cell in code)
        assert not [o for cell in code for o in cell.outputs if o.output_type == "error"]

    def test_handle_shows_a_summary(self, executed: Any) -> None:
        """Evaluating ``ls`` in a cell shows the mock's HTML summary with the alarm."""
        (result,) = [o for o in outputs(executed, "client.create_instances") if o.output_type == "execute_result"]
        assert "LightsailMock" in result.data["text/html"]
        assert "cpu-high" in result.data["text/html"]

    def test_clock_steps_print_the_states(self, executed: Any) -> None:
        """Stepping the clock prints ALARM at 08:30 and OK again at 08:50."""
        text = "".join(o.text for o in outputs(executed, "for _ in range") if o.output_type == "stream")
        assert "08:30  ALARM" in text
        assert "08:50  OK" in text

    def test_tables_render_as_html(self, executed: Any) -> None:
        """History and notifications show as HTML tables."""
        for start in ("table(ls.alarm_history", "table(ls.notifications"):
            (result,) = [o for o in outputs(executed, start) if o.output_type == "execute_result"]
            assert result.data["text/html"].startswith("<table>")

    def test_plot_is_an_image(self, executed: Any) -> None:
        """The plot cell displays a PNG."""
        assert any("image/png" in o.get("data", {}) for o in outputs(executed, "ls.plot_alarm"))
