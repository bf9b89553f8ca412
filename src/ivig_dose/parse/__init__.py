"""Typed text into values: weights, heights, dates, amounts, patient rows, orders, answers.

The only home of pint; no file is opened here.
"""
