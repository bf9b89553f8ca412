"""The languages ivig-dose speaks, by code, with their own names.

A module of its own, importing nothing, so that choosing the language of a run (``--lang``, the
locale variables) costs ``--help`` nothing: English needs neither the message machinery nor a
catalogue to be chosen.
"""

#: the languages there are, with their own names, in the order an error lists them.
LANGUAGES = {"en": "English", "nl": "Nederlands"}
