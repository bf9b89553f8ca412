"""The use cases, one module each: plan a patient, check an order, screen, a bag's pump program,
a patient list. Every command and the Python API go through here; no typer, no rich.
"""
