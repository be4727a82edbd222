"""Data files with provenance, no code: city presets (``presets/``, read by core.presets), the
local labour market and its scenarios (``labour_market.toml``, core.labour_market), city
programmes (``programmes/``, measures.programmes), validation targets (``targets/``,
analysis.validation) and the free parameters of the calibration (``calibration/``,
experiments.calibration)."""
