"""Write the docs' metric reference, docs/reference/metrics.md, from the metric catalogue
(gigbench.market.catalogue); tests/market/test_catalogue.py fails when the committed page differs.

    python docs/gen_metrics.py
"""

from __future__ import annotations

from pathlib import Path

from gigbench.market.catalogue import markdown

PAGE = Path(__file__).resolve().parent / "reference" / "metrics.md"


def main() -> None:
    """Write the page."""
    PAGE.parent.mkdir(parents=True, exist_ok=True)
    PAGE.write_text(markdown())
    print(f"wrote {PAGE}")


if __name__ == "__main__":
    main()
