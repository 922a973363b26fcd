"""The `dagy` command line. The Typer app lives in `dagy.entrypoints.cli.main`."""
