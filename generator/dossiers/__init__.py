"""Dossier results recomputed from the one-stop software's exports (../shared/spec/DOSSIERS.md).

`congkhai dossiers check` and `import` (cli.py) read exports (read.py), judge every dossier
against its legal due time (engine.py, calendar.py, times.py) and aggregate the months
(aggregate.py); results.py prepares each agency's months, recomputed beside reported, for the
pages. Polars is imported only by these commands.
"""
