"""``pensiondesk-county``: the county server (县级服务端) and its admin commands.

The server itself (FastAPI) arrives with the sync work; until then this entry point describes what it will offer
and exits with an honest message for anything else.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pensiondesk import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pensiondesk-county",
        description=(
            "城乡居保县级服务端：接收各村笔记本上传的数据、下发审核结果与政策参数。"
            "本版本尚未包含服务端功能（将随“同步”功能提供）。"
        ),
    )
    parser.add_argument("--version", action="version", version=f"PensionDesk county {__version__}")
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    parser.parse_args(argv)
    parser.print_help()
    return 0


def main() -> None:
    sys.exit(run())
