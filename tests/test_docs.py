"""Every example in the README and docs/ runs: commands, their shown output, Python and TOML blocks.

The docs cannot drift from the code: a ```console block's `$ legation ...` lines are run and the lines
shown under each must appear in its output in order (`...` stands for any lines in between); a ```sh
block's `legation ...` lines are run and must succeed; ```python blocks are executed, a file's blocks in
one namespace in order; ```toml blocks must parse.
"""

from __future__ import annotations

import glob
import io
import re
import shlex
import tomllib
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from engine.cli import main

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
_EXIT = re.compile(r"\s+#\s*exit (\d+)\s*$")


def _blocks(page: Path, language: str) -> list[tuple[int, str]]:
    text = page.read_text(encoding="utf-8")
    return [
        (text.count("\n", 0, found.start()) + 1, found.group(2))
        for found in _FENCE.finditer(text)
        if found.group(1) == language
    ]


def _cases(language: str) -> list:
    return [
        pytest.param(page, line, body, id=f"{page.relative_to(ROOT)}:{line}")
        for page in PAGES
        for line, body in _blocks(page, language)
    ]


def _run(command: str) -> tuple[int, str]:
    """Run one `legation ...` line in-process; its exit status and its stdout and stderr together."""
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(out):
        words = shlex.split(command, comments=True)[1:]
        # As a shell would: a word with a wildcard stands for the files it matches.
        argv = [match for word in words for match in (sorted(glob.glob(word)) if "*" in word else [word])]
        status = main(argv)
    return status, out.getvalue()


@pytest.fixture
def in_sandbox(tmp_path, monkeypatch):
    """Run in an empty folder that sees the repository's scenarios, so files the examples write land there."""
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LEGATION_CACHE_DIR", "")


def _shown_in(expected: list[str], output: str) -> bool:
    """Whether the expected lines appear in the output in order, `...` standing for any lines."""
    lines = [line.rstrip() for line in output.splitlines()]
    position, gap = 0, False
    for want in expected:
        if want.strip() == "...":
            gap = True
            continue
        want = want.rstrip()
        if gap:
            while position < len(lines) and lines[position] != want:
                position += 1
        if position >= len(lines) or lines[position] != want:
            return False
        position, gap = position + 1, False
    return gap or position == len(lines)


@pytest.mark.parametrize(("page", "line", "body"), _cases("console"))
def test_console_examples_print_what_they_show(page, line, body, in_sandbox):
    """Each `$ legation ...` of a console block prints the lines shown under it and exits as shown."""
    commands: list[tuple[str, list[str]]] = []
    for text in body.splitlines():
        if text.startswith("$ "):
            commands.append((text[2:], []))
        elif commands:
            commands[-1][1].append(text)
    assert commands, "a console block with no `$ ` command"
    for command, expected in commands:
        wanted = _EXIT.search(command)
        status, output = _run(_EXIT.sub("", command))
        assert status == (int(wanted.group(1)) if wanted else 0), (command, output)
        shown = "\n".join(expected)
        assert _shown_in(expected, output), f"{command}\n--- shown ---\n{shown}\n--- got ---\n{output}"


@pytest.mark.parametrize(("page", "line", "body"), _cases("sh"))
def test_shell_examples_succeed(page, line, body, in_sandbox):
    """Each `legation ...` line of a sh block runs and exits 0 (other lines: installs, benchmarks, are not run)."""
    for text in body.splitlines():
        text = text.removeprefix("$ ").strip()
        if text.startswith("legation "):
            status, output = _run(text)
            assert status == 0, (text, output)


@pytest.mark.parametrize("page", [page for page in PAGES if _blocks(page, "python")], ids=lambda p: str(p.name))
def test_python_examples_run(page, in_sandbox):
    """A page's Python blocks run in order in one namespace, their assertions holding."""
    namespace: dict = {"__name__": f"docs_{page.stem}"}
    for line, body in _blocks(page, "python"):
        exec(compile(body, f"{page}:{line}", "exec"), namespace)


@pytest.mark.parametrize(("page", "line", "body"), _cases("toml"))
def test_toml_examples_parse(page, line, body):
    """Every TOML block is valid TOML."""
    tomllib.loads(body)


def test_every_page_is_in_the_site():
    """Every page under docs/ is in mkdocs.yml's navigation, and every page named there exists."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    named = set(re.findall(r"([\w/-]+\.md)", config))
    pages = {str(page.relative_to(ROOT / "docs")) for page in (ROOT / "docs").rglob("*.md")}
    assert named == pages


def test_readme_stays_short():
    """The README is an entrance, not the manual: at most 12 KB."""
    assert len((ROOT / "README.md").read_bytes()) <= 12 * 1024
