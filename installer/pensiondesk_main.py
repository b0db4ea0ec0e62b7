"""Entry script of the frozen program (PyInstaller needs a file; the console script is ``pensiondesk.cli:main``).

No arguments start the GUI, subcommands work as with the installed ``pensiondesk`` command.
"""

from pensiondesk.cli import main

if __name__ == "__main__":
    main()
