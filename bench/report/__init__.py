"""Reports of a results folder: ``data`` (rows grouped into configurations, metrics in the
README's order, units from the market that ran), ``figures`` (interactive plotly figures),
``page`` (one self-contained HTML page) and ``cli`` (``gigbench-report``).

Floor: above ``gigbench.harness`` (it collects the rows through it).
"""
