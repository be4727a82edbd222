"""Behavioural rules: pure, vectorised functions of arrays and parameters, one module per process.

Each docstring says what the rule models, its equation in words, and where its parameter
values come from (see also docs/ODD.md, section 7 "Submodels").
"""
