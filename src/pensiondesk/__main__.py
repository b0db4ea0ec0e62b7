"""``python -m pensiondesk``: the same as the ``pensiondesk`` command (启动程序或批处理子命令)."""

from pensiondesk.cli import main

main()
