"""Run the importer on its own: `python -m generator.importers national-portal FILE …`.

The same arguments as `congkhai import national-portal …`, for use before the command is
wired into generator.cli.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from generator.importers import add_import_parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="congkhai")
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")
    add_import_parser(sub)
    args = parser.parse_args(["import", *(sys.argv[1:] if argv is None else argv)])
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
