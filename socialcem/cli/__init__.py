"""The `socialcem` command: parses input, calls the core, prints the result."""
