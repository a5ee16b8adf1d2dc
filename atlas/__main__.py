"""Command line: python -m atlas <command> … (python -m atlas --help lists the commands)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _build(args: argparse.Namespace) -> int:
    import time

    from atlas.database.build import build_demo_database
    from atlas.database.db import database_path

    path = Path(args.db) if args.db else database_path()
    started = time.perf_counter()
    build_demo_database(path)
    print(f"Built {path} from the demo district in {time.perf_counter() - started:.1f} s")
    return 0


def _synth(args: argparse.Namespace) -> int:
    from atlas.synth import run

    return run(args)


def _bench(args: argparse.Namespace) -> int:
    from atlas.bench import run

    return run(args)


def _packet(args: argparse.Namespace) -> int:
    from atlas.database.db import database_path
    from atlas.database.upgrade import ensure_database
    from atlas.present.packet import run

    ensure_database(Path(args.db) if args.db else database_path())  # the packet's queries only read
    return run(args)


def _setting(args: argparse.Namespace) -> int:
    from atlas.database.db import database_path
    from atlas.database.settings import BadSetting, change_setting, read_settings
    from atlas.database.upgrade import ensure_database

    path = ensure_database(Path(args.db) if args.db else database_path())
    if args.name is None:
        for row in read_settings(path).itertuples(index=False):
            print(f"{row.name} = {row.value}")
        return 0
    if args.value is None:
        print("give the new value after the setting's name", file=sys.stderr)
        return 2
    try:
        log_id = change_setting(path, args.name, args.value)
    except BadSetting as bad:
        print(bad, file=sys.stderr)
        return 1
    print(f"{args.name} = {args.value} (log entry {log_id}; `python -m atlas undo` reverts it)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Every command and its options (tests/test_docs.py checks each command is documented)."""
    parser = argparse.ArgumentParser(prog="python -m atlas", description="Partnership Atlas tools")
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="build the database from the bundled demo district")
    build.add_argument("--db", help="database file (default: $ATLAS_DB or data/atlas.duckdb)")
    build.set_defaults(run=_build)

    setting = commands.add_parser("setting", help="list the district's settings, or change one (logged, undoable)")
    setting.add_argument("name", nargs="?", help="the setting to change (none: list them all)")
    setting.add_argument("value", nargs="?", help="its new value")
    setting.add_argument("--db", help="database file (default: $ATLAS_DB or data/atlas.duckdb)")
    setting.set_defaults(run=_setting)

    from atlas.import_commands import add_import_commands  # import, undo, template, new-district, prepare-nyc

    add_import_commands(commands)

    synth = commands.add_parser("synth", help="write a synthetic database of any size (state or national scale)")
    synth.add_argument("--schools", type=int, required=True, help="number of schools")
    synth.add_argument("--out", required=True, help="database file to write (replaced atomically)")
    synth.add_argument("--seed", type=int, help="random seed (default: atlas.synth.DEFAULT_SEED)")
    synth.add_argument("--districts", type=int, help="a fixed number of districts (default: realistic sizes)")
    synth.add_argument("--state", help="put every district in this state, e.g. CA (default: all states)")
    synth.set_defaults(run=_synth)

    bench = commands.add_parser("bench", help="time pages, queries, payloads and memory against a pandas baseline")
    bench.add_argument("--scale", choices=["district", "state", "national"], default="district")
    bench.add_argument("--out", help="write the JSON report to this file (default: print it)")
    bench.add_argument("--schools", type=int, help="override the scale's number of schools")
    bench.add_argument("--repeats", type=int, help="override the scale's number of timed runs")
    bench.add_argument("--workdir", help="keep the database and CSV files in this folder")
    bench.set_defaults(run=_bench)

    from atlas.bench_import import add_command as add_bench_import

    add_bench_import(commands)

    packet = commands.add_parser("packet", help="write the board packet (PPTX or PDF) for the default view")
    packet.add_argument("--out", required=True, help="file to write: its suffix, .pptx or .pdf, picks the format")
    packet.add_argument("--lang", choices=["en", "es"], default="en", help="language of the packet (default: en)")
    packet.add_argument("--db", help="database file (default: $ATLAS_DB or data/atlas.duckdb)")
    packet.add_argument("--date", help="count partnerships active on this date, YYYY-MM-DD (default: today)")
    packet.set_defaults(run=_packet)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
