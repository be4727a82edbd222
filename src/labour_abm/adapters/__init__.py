"""Bridges to other tools: :mod:`.ema` exposes the model to the EMA Workbench (optional extra)."""
