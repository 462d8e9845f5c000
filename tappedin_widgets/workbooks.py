"""What openpyxl's read-only mode leaves out of a worksheet: merged cells and
formulas whose result was never saved.

In read-only mode (the one that keeps memory small) openpyxl gives cell values
only. A cell merged over several rows then reads as empty below its first row,
and a formula cell of a file written by a program (which saves the formula, not
its result) reads as empty too. Both are in the sheet's XML; it is scanned once,
streaming, for them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries


@dataclass(frozen=True)
class Uncached:
    """A formula cell with no saved result: where it is and what it says."""

    cell: str
    formula: str

    def __str__(self) -> str:
        return f"={self.formula}"

    def reason(self) -> str:
        what = f"a formula (={self.formula[:40]})" if self.formula else "a formula"
        return (f"Cell {self.cell} holds {what} whose result was never saved, so TAPPED IN "
                "can't tell what it shows. Open the file in Excel or LibreOffice and save it "
                "again, or paste the values instead.")


@dataclass
class SheetMarks:
    """Merged ranges and unsaved formulas of one worksheet; rows and columns from 1."""

    #: row -> [(column, Uncached)]
    uncached: dict[int, list[tuple[int, Uncached]]] = field(default_factory=dict)
    #: row -> [column] of merged ranges' first cells
    firsts: dict[int, list[int]] = field(default_factory=dict)
    #: row -> [(column, first row)] for cells below a merged range's first row
    below: dict[int, list[tuple[int, int]]] = field(default_factory=dict)

    def add_range(self, min_col: int, min_row: int, max_row: int) -> None:
        self.firsts.setdefault(min_row, []).append(min_col)
        for r in range(min_row + 1, max_row + 1):
            self.below.setdefault(r, []).append((min_col, min_row))

    def apply(self, row: int, values: tuple[Any, ...], seen: dict[tuple[int, int], Any]
              ) -> tuple[Any, ...]:
        """One row's values as people read them.

        A cell below a merged range's first row reads as that first cell (``seen``
        keeps those values as rows go by, top to bottom); a formula with no saved
        result reads as :class:`Uncached`.
        """
        if row not in self.uncached and row not in self.below and row not in self.firsts:
            return values
        out = list(values)
        width = max([len(out)] + [c for c, _ in self.below.get(row, ())])
        out.extend([None] * (width - len(out)))
        for c, mark in self.uncached.get(row, ()):
            if c <= len(out) and out[c - 1] is None:
                out[c - 1] = mark
        for c, top in self.below.get(row, ()):
            out[c - 1] = seen.get((top, c))
        for c in self.firsts.get(row, ()):
            seen[(row, c)] = out[c - 1] if c <= len(out) else None
        return tuple(out)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def sheet_marks(ws: Any) -> SheetMarks:
    """Scan a read-only openpyxl worksheet's XML for merged ranges and unsaved formulas."""
    marks = SheetMarks()
    with ws._get_source() as src:  # openpyxl's own handle on the sheet's XML
        for _event, elem in ET.iterparse(src, events=("end",)):
            tag = _local(elem.tag)
            if tag == "c":
                ref = elem.get("r")
                children = {_local(child.tag): child for child in elem}
                formula = children.get("f")
                value = children.get("v")
                saved = value is not None and (value.text or elem.get("t") == "str")
                if ref and formula is not None and not saved:
                    r, c = coordinate_to_tuple(ref)
                    marks.uncached.setdefault(r, []).append((c, Uncached(ref, formula.text or "")))
                elem.clear()
            elif tag == "row":
                elem.clear()
            elif tag == "mergeCell" and elem.get("ref"):
                try:
                    min_col, min_row, _max_col, max_row = range_boundaries(elem.get("ref"))
                except (ValueError, TypeError):
                    continue  # a damaged range: its cells read as they are
                marks.add_range(min_col, min_row, max_row)
    return marks
