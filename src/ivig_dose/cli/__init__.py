"""The `ivig-dose` command: Typer options in, a use case of `ivig_dose.app` called, a renderer out."""
