"""`python -m socialcem` runs the command line."""

from socialcem.cli.main import run

# Guarded: worker processes (spawn) import the main module and must not run the CLI.
if __name__ == "__main__":
    run()
