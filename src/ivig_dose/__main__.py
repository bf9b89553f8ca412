"""Lets ``python -m ivig_dose`` behave exactly like the ``ivig-dose`` command."""

from ivig_dose.cli.main import main

if __name__ == "__main__":
    main()
