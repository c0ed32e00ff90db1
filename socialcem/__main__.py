"""`python -m socialcem` runs the command line."""

from socialcem.cli.main import run

run()
