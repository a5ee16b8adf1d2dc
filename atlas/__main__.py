"""Command line: python -m atlas <command> … (python -m atlas --help lists the commands)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _build(args: argparse.Namespace) -> int:
    import time

    from atlas.build import build_demo_database
    from atlas.db import database_path

    path = Path(args.db) if args.db else database_path()
    started = time.perf_counter()
    build_demo_database(path)
    print(f"Built {path} from the demo district in {time.perf_counter() - started:.1f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m atlas", description="Partnership Atlas tools")
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="build the database from the bundled demo district")
    build.add_argument("--db", help="database file (default: $ATLAS_DB or data/atlas.duckdb)")
    build.set_defaults(run=_build)

    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
