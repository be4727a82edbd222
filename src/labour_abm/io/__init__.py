"""Input and output: reading what users write, and the results directories the commands write.

- :mod:`.files`: a user's TOML file read with one-line errors, the ``--out`` directory made,
  files written atomically (temporary file, then rename), JSON, text hashes.
- :mod:`.store`: the one place that knows the layout of a results directory (a run; an
  experiment's, sweep's or validation's runs under ``runs/``; the manifest and status log) and
  how a command starts, or resumes, in one.
- :mod:`.provenance`: what produced a result (package and library versions, git commit).

This layer knows nothing of the model: it imports only :mod:`labour_abm.errors` and
:mod:`labour_abm.version`, so every other layer may use it.
"""
