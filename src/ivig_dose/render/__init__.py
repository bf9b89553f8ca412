"""Renderers: a finished :class:`~ivig_dose.core.model.Plan` in, text out; they decide nothing."""
