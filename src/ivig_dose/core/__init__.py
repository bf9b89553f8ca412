"""The pure core: plans, doses, vials, pump programs, checks and screens from plain values.

Standard library only; no file, terminal or clock is touched here (see docs/architecture.md).
"""
