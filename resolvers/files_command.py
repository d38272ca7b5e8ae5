"""`uv run app.py files prune|verify`: the housekeeping of stored files (resolvers/files.py).

prune   remove uploads no record took within OPSGRAPH_FILES_ORPHAN_HOURS, and objects no
        file row points at (never a file its purpose keeps forever); run hourly or daily
verify  re-hash every stored object and compare it with its row; exit status 1 on any
        mismatch or missing object (the weekly COA integrity check, SPEC §7)
"""

from __future__ import annotations

import argparse
import asyncio

from db.engine import Database
from db.storage import storage_for
from resolvers.files import prune, verify
from settings import Settings


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    files = commands.add_parser("files", help="stored files: prune orphans, verify hashes")
    actions = files.add_subparsers(dest="files_command", required=True)
    actions.add_parser(
        "prune", help="remove uploads no record took within OPSGRAPH_FILES_ORPHAN_HOURS"
    )
    actions.add_parser("verify", help="re-hash stored objects; exit 1 on any mismatch")


def run(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_run(args.files_command, settings))


async def _run(command: str, settings: Settings) -> int:
    database = Database(settings.database_url, encryption_keys=settings.encryption_keys)
    storage = storage_for(settings.files)
    try:
        if command == "prune":
            pruned = await prune(database, storage, settings.files.orphan_hours)
            print(
                f"files: {pruned.files} unattached uploads older than "
                f"{settings.files.orphan_hours} h and {pruned.objects} unreferenced objects "
                f"removed ({storage.name})"
            )
            return 0
        report = await verify(database, storage)
        for line in report.mismatched:
            print(f"MISMATCH {line}")
        for line in report.missing:
            print(f"MISSING {line}")
        print(
            f"files: {report.checked} checked, {len(report.mismatched)} mismatched, "
            f"{len(report.missing)} missing ({storage.name})"
        )
        return 0 if report.ok else 1
    finally:
        await database.dispose()
