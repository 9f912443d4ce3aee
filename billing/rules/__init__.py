"""Billing rules: pure functions over plain data (no models, no request)."""
