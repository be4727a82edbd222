"""What runs models and writes their results.

- :mod:`.run`: one run (:func:`~.run.simulate`) and its tidy tables (:class:`~.run.RunResult`).
- :mod:`.runner`: many runs as plain-data tasks, on local processes or a Dask cluster,
  each written once and atomically, so a study resumes where it stopped.
- :mod:`.experiment`: experiment files (a baseline and arms, paired replications) and their effects.
- :mod:`.sweep`: sweep files (a design over parameters) and their tidy table of outcomes.
- :mod:`.calibration`: the baseline validated against its targets, and calibrated to them.
- :mod:`.paired`: a run with measures and its baseline stepped together (the dashboard's model).
- :mod:`.reproduce`: a recorded run rerun from its manifest and compared.

Experiments build models (core, measures) and summarise them with analysis; results go to
disk through io.
"""
