"""The protocol used when none is named: one name for every command, the API and the files.

A module of its own, with no imports, so that the command line can show it as every option's
default without loading the protocol model at start-up.
"""

DEFAULT_PROTOCOL = "timeismuscle"
