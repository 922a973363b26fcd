"""The `dagy` command line. The Typer app lives in `entrypoints.cli.main`."""
