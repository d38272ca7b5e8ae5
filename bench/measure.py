"""What the benchmarks measure with: CPU time of a process (or a server's processes) and
percentiles of latencies."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path


def _stat(pid: int) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (which may hold spaces)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _used_ticks(fields: list[str]) -> int:
    """User + system CPU time in clock ticks, from a process's `_stat` fields."""
    return int(fields[11]) + int(fields[12])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    return _used_ticks(_stat(pid)) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """`cpu_seconds` of a process and all its live descendants: a server started with
    several workers (uvicorn --workers, PostGraphile's cluster) serves from its children."""
    parents: dict[int, int] = {}
    used: dict[int, int] = {}  # clock ticks of user + system time
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = _stat(int(entry.name))
                parents[int(entry.name)] = int(fields[1])
                used[int(entry.name)] = _used_ticks(fields)
            except (OSError, IndexError, ValueError):
                continue  # exited while we looked
    tree, grew = {pid}, True
    while grew:
        below = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= below
        grew = bool(below)
    return sum(used.get(member, 0) for member in tree) / os.sysconf("SC_CLK_TCK")


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile of sorted values (0 for none)."""
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, math.ceil(fraction * len(sorted_values)) - 1))
    return sorted_values[index]
