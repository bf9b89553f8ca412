"""Renderers: a finished :class:`~ivig_dose.model.Plan` in, text out; they decide nothing."""
