"""Reports of a results folder: ``data`` (rows grouped into configurations; each metric's
section, order, unit and better direction from the metric catalogue), ``style`` (one colour
and marker per configuration for the whole report), ``figures``, ``lorenz``, ``days`` and
``replay`` (interactive plotly figures), ``page`` (one self-contained HTML page) and ``cli``
(``gigbench-report``).

Floor: above ``gigbench.harness`` (it collects the rows through it).
"""
