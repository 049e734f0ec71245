"""``docs/benchmarks.md``: the machine, the versions, the command and one table with targets."""

import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path

import django
from django.db import connection


@dataclass
class Row:
    section: str
    name: str
    figure: str
    target: str
    ok: bool | None  # None: reported, no target

    @property
    def verdict(self) -> str:
        return "—" if self.ok is None else ("pass" if self.ok else "**MISSED**")


def machine() -> list[str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{kb / 1024 / 1024:.1f} GB"
    except (OSError, ValueError, IndexError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    load = (
        " ".join(Path("/proc/loadavg").read_text().split()[:3])
        if Path("/proc/loadavg").exists()
        else "?"
    )
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores visible; RAM {ram}; load average at the end {load}",
        f"- {platform.platform()}",
        f"- Python {sys.version.split()[0]}, Django {django.get_version()}, PostgreSQL {postgres}",
    ]


def write(path: Path, *, header: list[str], rows: list[Row], notes: list[str]) -> None:
    lines = ["# Benchmarks (`make bench`)", "", *header, "", "## Machine", "", *machine(), ""]
    lines += ["## Results", ""]
    lines += ["| section | measure | figure | target | verdict |", "|---|---|---|---|---|"]
    lines += [f"| {r.section} | {r.name} | {r.figure} | {r.target} | {r.verdict} |" for r in rows]
    missed = [r for r in rows if r.ok is False]
    lines += ["", f"**{len(missed)} target(s) missed.**" if missed else "**Every target met.**"]
    lines += ["", "## Notes", "", *[f"- {note}" for note in notes], ""]
    path.write_text("\n".join(lines), encoding="utf-8")
