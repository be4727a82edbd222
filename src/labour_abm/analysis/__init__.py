"""Tables in, tables and figures out: everything computed from what runs wrote.

- :mod:`.outcomes`: a run's outcomes at 12, 24, 36 months and the end, overall and by group.
- :mod:`.effects`: paired effects of arms against the baseline with 95% intervals.
- :mod:`.summaries`: bands over replications, survival curves, cumulative effects.
- :mod:`.patterns`: flows, hazards by duration and age, return rates.
- :mod:`.validation`: the statistics the baseline is judged on, targets, the scorecard.
- :mod:`.sensitivity`: Sobol and Morris indices and response surfaces of a sweep.
- :mod:`.econometrics`: survival, hazards, a duration model and returns on a run's micro-data.
- :mod:`.plots`: the plot set, one function per figure, from the tables above.

Analysis reads the tidy tables (and manifests) the experiments wrote, never model internals,
and runs no model: it imports only from core (names of codes and barriers), io and errors.
"""

