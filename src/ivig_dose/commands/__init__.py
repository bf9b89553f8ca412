"""One module per ``ivig-dose`` subcommand; each keeps its heavy imports inside the function."""
