"""Subcommand modules of ``pensiondesk``, one per area (people, money, notices …).

Each module defines ``register(subparsers)`` using ``pensiondesk.cli.add_command`` / ``subgroup`` and lists itself in
``pensiondesk.cli.COMMAND_MODULES``. Module tops import nothing heavy; commands import what they need when run.
"""
