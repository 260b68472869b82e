"""Table rows in a text dump: a row of figures or of cells holding one, not prose or a menu."""

from __future__ import annotations

import pytest

from generator.ingest.tables import is_data_row


@pytest.mark.parametrize("text, row", [
    ("Ana Vega | Harbour First | 1,312 | 44.1%", True),
    ("North Pier 3 East Quay 1 (Vega 12, 55; Lund 40) Att: 1,204", True),
    ("Candidate | Party | Votes | Share", False),  # a header, no figure
    ("News | Sport | Weather | Ferries", False),
    ("The repairs will cost 1.2 million euros in 2024 and another 300,000 euros in 2025, the board says.", False),
])
def test_data_rows(text: str, row: bool) -> None:
    assert is_data_row(text) is row
