"""Command-line subcommands of the importer (registered in atlas/__main__.py):

    python -m atlas import KIND FILE [--db PATH] [--mapping FILE] [--replace | --upsert] [--dry-run]
                                     [--max-mb MB] [--max-rows ROWS]
    python -m atlas undo [--db PATH]
    python -m atlas template KIND OUT.csv|OUT.xlsx
    (KIND: schools, partners, partnerships, metrics or metric-definitions, a district's own measures)
    python -m atlas new-district [--db PATH] --id ID --name NAME --state ST
    python -m atlas prepare-nyc [--raw DIR] [--out DIR] [--db PATH]
    python -m atlas hash-password

Exit status 0 on success, 1 when the file is refused (the problems are printed), 2 on misuse.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from atlas.database.importing import readers

# The kinds of file, as the command line writes them (metric-definitions = kind metric_definitions).
KIND_CHOICES = ["schools", "partners", "partnerships", "metrics", "metric-definitions"]


def add_import_commands(commands) -> None:
    run = commands.add_parser(
        "import", help="import a district file (schools, partners, partnerships, metrics, metric-definitions)"
    )
    run.add_argument("kind", choices=KIND_CHOICES, help="metric-definitions: the district's own measures")
    run.add_argument("file", help="a .csv or .xlsx file")
    run.add_argument("--db", help="database file (default: $ATLAS_DB or data/atlas.duckdb)")
    run.add_argument("--mapping", help="a column-mapping file (.toml), e.g. data/mappings/nyc-csd10-schools.toml")
    run.add_argument("--framework", help="framework whose strategies a partnerships file names (default: the default)")
    run.add_argument("--sheet", help="the sheet of an .xlsx file (default: the first that is not a README)")
    group = run.add_mutually_exclusive_group()
    group.add_argument("--upsert", dest="mode", action="store_const", const="upsert", help="add and update (default)")
    group.add_argument(
        "--replace", dest="mode", action="store_const", const="replace", help="the file is the complete list"
    )
    run.add_argument("--dry-run", action="store_true", help="check and show what would change; write nothing")
    run.add_argument("--lang", default="en", choices=["en", "es"], help="language of the messages")
    run.add_argument(
        "--max-mb",
        type=_positive(float),
        help=f"largest file accepted, in MB (default: {readers.MAX_FILE_MB}, the upload's limit); "
        "an .xlsx may then unzip to proportionally more",
    )
    run.add_argument("--max-rows", type=_positive(int), help=f"most data rows accepted (default: {readers.MAX_ROWS:,})")
    run.set_defaults(run=_import, mode="upsert")

    undo = commands.add_parser("undo", help="undo the newest data change (restores the snapshot taken before it)")
    undo.add_argument("--db", help="database file (default: $ATLAS_DB or data/atlas.duckdb)")
    undo.set_defaults(run=_undo)

    template = commands.add_parser("template", help="write a blank import template (.csv or .xlsx)")
    template.add_argument("kind", choices=KIND_CHOICES)
    template.add_argument("out", help="the file to write; .xlsx adds a README sheet")
    template.add_argument("--lang", default="en", choices=["en", "es"])
    template.set_defaults(run=_template)

    new = commands.add_parser("new-district", help="create an empty database for a district (frameworks included)")
    new.add_argument("--db", help="the file to create (default: <id>.duckdb in the districts folder, as the app does)")
    new.add_argument("--id", required=True, help="district id (the NCES LEAID where known)")
    new.add_argument("--name", required=True)
    new.add_argument("--state", required=True, help="two-letter state code")
    new.set_defaults(run=_new_district)

    nyc = commands.add_parser(
        "prepare-nyc", help="prepare NYC Community School District 10 from the real NYC DOE files (see docs/nyc.md)"
    )
    nyc.add_argument("--raw", help="folder of the real files (default: ../shared/data/real)")
    nyc.add_argument("--out", help="folder for the prepared CSV files (default: a folder in the system temp dir)")
    nyc.add_argument("--db", help="also build this database and import everything into it")
    nyc.set_defaults(run=_prepare_nyc)

    password = commands.add_parser("hash-password", help="hash an editor password for .streamlit/secrets.toml")
    password.add_argument("--user", default="editor")
    password.set_defaults(run=_hash_password)


def _positive(kind):
    def parse(text: str):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
        return value

    return parse


def _db(args) -> Path:
    from atlas.database.db import database_path

    return Path(args.db) if args.db else database_path()


def _import(args: argparse.Namespace) -> int:
    from atlas.database.importing import import_file
    from atlas.database.importing.mapping import MappingError
    from atlas.present.i18n import translate
    from atlas.present.import_messages import message

    path = _db(args)
    if not path.exists():
        print(f"no database at {path}: run `python -m atlas build` or `python -m atlas new-district` first")
        return 2
    try:
        result = import_file(
            path,
            args.kind.replace("-", "_"),
            args.file,
            mapping=args.mapping,
            mode=args.mode,
            dry_run=args.dry_run,
            framework_id=args.framework,
            sheet=args.sheet,
            limits=readers.Limits().raised(args.max_mb, args.max_rows),
        )
    except (MappingError, ValueError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    name = Path(args.file).name
    for note in result.notes:
        print(f"note: {message(note, name, args.lang)}")
    if not result.ok:
        _print_problems(result, name, args.lang)
        return 1
    change = result.diff
    summary = translate(
        "data.cli_summary",
        args.lang,
        added=change.n_added,
        changed=change.n_changed,
        removed=change.n_removed,
        unchanged=change.n_unchanged,
    )
    if args.dry_run:
        print(translate("data.cli_dry_run", args.lang, summary=summary))
    elif result.import_id is None:
        print(translate("data.cli_nothing", args.lang, summary=summary))
    else:
        print(translate("data.cli_committed", args.lang, summary=summary, id=result.import_id))
    return 0


def _print_problems(result, name: str, lang: str) -> None:
    """One line per distinct problem (a problem of one row as it is, several rows grouped with their
    count and first rows), then the count."""
    from atlas.present.i18n import translate
    from atlas.present.import_messages import grouped_line, message

    groups = result.all_problems.groups(GROUPS_PRINTED)
    for group in groups:
        line = message(group.problem, name, lang) if group.count == 1 else f"{name}: {grouped_line(group, lang)}"
        print(f"error: {line}", file=sys.stderr)
    more = result.all_problems.n_groups() - len(groups)
    if more > 0:
        print(translate("data.more_groups", lang, count=f"{more:,}"), file=sys.stderr)
    print(translate("data.cli_refused", lang, count=result.n_errors), file=sys.stderr)


GROUPS_PRINTED = 100


def _undo(args: argparse.Namespace) -> int:
    from atlas.database.importing import NothingToUndo, SnapshotMissing, undo_last

    path = _db(args)
    try:
        undo_id = undo_last(path)
    except NothingToUndo:
        print("nothing to undo")
        return 1
    except SnapshotMissing as missing:
        print(f"the snapshot {missing} is no longer kept; cannot undo")
        return 1
    print(f"undone (log entry {undo_id})")
    return 0


def _template(args: argparse.Namespace) -> int:
    from atlas.present.import_templates import template_csv, template_xlsx

    out = Path(args.out)
    kind = args.kind.replace("-", "_")
    data = template_xlsx(kind, args.lang) if out.suffix.lower() == ".xlsx" else template_csv(kind)
    out.write_bytes(data)
    print(f"wrote {out}")
    return 0


def _new_district(args: argparse.Namespace) -> int:
    from atlas.database import districts
    from atlas.present.i18n import translate

    # The app's checks; a file named by --db may be replaced (the folder's files never are).
    problems = [
        p for p in districts.check_new_district(args.id, args.name, args.state) if args.db is None or p != "id_exists"
    ]
    if problems:
        for problem in problems:
            print(f"error: {translate(f'setup.problem_{problem}', 'en')}", file=sys.stderr)
        return 2
    if args.db:
        path = districts.new_district_database(Path(args.db), args.id.strip(), args.name.strip(), args.state.strip())
    else:
        path = districts.create_district(args.id, args.name, args.state)
    print(f"created {path} for {args.name.strip()} ({args.state.strip().upper()})")
    return 0


def _prepare_nyc(args: argparse.Namespace) -> int:
    from atlas import nyc

    raw = Path(args.raw) if args.raw else nyc.DEFAULT_RAW
    out = Path(args.out) if args.out else nyc.DEFAULT_OUT
    report = nyc.prepare(raw, out)
    for line in report.lines():
        print(line)
    if args.db:
        results = nyc.build_database(Path(args.db), raw, out)
        for step, result in results:
            change = result.diff
            print(
                f"{step}: {'ok' if result.ok else 'REFUSED'}"
                + (f" (+{change.n_added} added, {change.n_changed} changed)" if result.ok else "")
            )
            if not result.ok:
                from atlas.present.import_messages import message

                for problem in result.problems[:20]:
                    print(f"  {message(problem, step, 'en')}")
                return 1
    return 0


def _hash_password(args: argparse.Namespace) -> int:
    import getpass

    from atlas.database.access import hash_password

    first = getpass.getpass("Password: ")
    if len(first) < 10:
        print("use at least 10 characters")
        return 2
    if getpass.getpass("Again: ") != first:
        print("the two passwords differ")
        return 2
    print("Add to .streamlit/secrets.toml (never commit that file):\n")
    print("[atlas.editors]")
    print(f'{args.user} = "{hash_password(first)}"')
    return 0
