"""The simulation: one municipality's bijstand caseload, month by month.

- :mod:`.model`: :class:`~.model.LabourModel`, the Mesa model: set-up, ``step()`` as the table
  of contents of the month, and the hooks where measures act.
- :mod:`.processes`: one module per process of the month, in the order of ``step()``.
- :mod:`.month`: what one month knows while it runs (its counts, who was seen, the market).
- :mod:`.transitions`: the state changes many processes share (entering and leaving benefit,
  starting a job, opening a spell).
- :mod:`.initial`: the population at month 0; :mod:`.synth`: synthetic people.
- :mod:`.statistics`: the monthly statistics, each column declared once with unit and meaning.
- :mod:`.hooks`: the plug-in interface measures implement.
- :mod:`.population`, :mod:`.agents`, :mod:`.labour_market`: the tables (recipients, spells,
  events, consultants, employers) and the local market.
- :mod:`.rules`: pure, vectorised behavioural rules with their sources.
- :mod:`.params`, :mod:`.presets`: typed parameters with sources; city presets.
- :mod:`.rng`: common random numbers keyed by (seed, process, month, uid).

Core imports nothing from the layers above it (measures, analysis, experiments, ui).
"""
