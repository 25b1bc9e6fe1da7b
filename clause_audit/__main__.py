"""Run the command line with `python -m clause_audit`."""

from .cli import main

main()
