"""Progress of long commands (issue 30, item 7): on a terminal a command shows a bar while it
works; piped (cron, CI) its output is only its result line."""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import struct
import sys
import termios
from pathlib import Path

import pytest

from observability import progress
from settings import Settings
from tests.support.live import ROOT, process_environment


async def _verify_files(settings: Settings, tmp_path: Path, *, terminal: bool) -> tuple[str, str]:
    """`app.py files verify` (the weekly integrity check): (stdout, what reached stderr: a
    terminal or a pipe)."""
    environ = process_environment(settings, tmp_path)
    environ.pop("CI", None)
    master, slave = pty.openpty() if terminal else (None, None)
    if slave is not None:  # 24 x 80, as a terminal window has (a new pty has 0 columns)
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "app.py",
        "files",
        "verify",
        cwd=ROOT,
        env=environ,
        stdout=asyncio.subprocess.PIPE,
        stderr=slave if slave is not None else asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    if master is not None and slave is not None:
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(master)
        err = b"".join(chunks)
    assert process.returncode == 0, err.decode(errors="replace")
    return out.decode(), (err or b"").decode(errors="replace")


async def test_a_command_shows_progress_on_a_terminal_and_nothing_when_piped(
    settings: Settings, tmp_path: Path
) -> None:
    out, terminal = await _verify_files(settings, tmp_path, terminal=True)
    assert "verifying files" in terminal  # the bar's label
    assert out.startswith("files: 0 checked")
    out, piped = await _verify_files(settings, tmp_path, terminal=False)
    assert "verifying files" not in piped and "it/s" not in piped
    assert out.startswith("files: 0 checked")


def test_ci_keeps_it_quiet_even_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.delenv("CI", raising=False)
    assert progress.shown()
    monkeypatch.setenv("CI", "true")
    assert not progress.shown()
    assert list(progress.progress([1, 2, 3], "quiet")) == [1, 2, 3]
