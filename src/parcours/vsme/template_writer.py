"""Writing values into a copy of the shipped digital template, cell by cell in its XML.

openpyxl would drop what it cannot read (drop-down lists on other sheets, check boxes,
drawings, conditional formats), so the workbook is edited in place instead: only the ``<c>``
elements of the cells written change; every other part of the file is copied byte for byte.
Formula cells keep their formula and receive the value as their cached result (what EFRAG's
converter reads); the workbook asks Excel to recalculate when it is opened.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

_SHEET = re.compile(r"<sheet\b[^>]*?/>")
_REL = re.compile(r"<Relationship\b[^>]*?/>")
_ROW = re.compile(r"<row\b[^>]*?/>|<row\b[^>]*?>.*?</row>", re.S)
_CELL = re.compile(r"<c\b[^>]*?/>|<c\b[^>]*?>.*?</c>", re.S)
_FORMULA = re.compile(r"<f\b[^>]*?/>|<f\b[^>]*?>.*?</f>", re.S)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_TEXT = 32767  # Excel's limit for one cell


@dataclass(frozen=True)
class CellWrite:
    """A value for one cell: text, a number, a boolean, or None to empty it."""

    value: str | Decimal | int | bool | None


def _attr(tag: str, name: str) -> str | None:
    m = re.search(rf'\b{name}="([^"]*)"', tag)
    return html.unescape(m.group(1)) if m else None


def _sheet_paths(zin: zipfile.ZipFile) -> dict[str, str]:
    workbook = zin.read("xl/workbook.xml").decode("utf-8")
    rels = zin.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = {}
    for tag in _REL.findall(rels):
        rid, target = _attr(tag, "Id"), _attr(tag, "Target")
        if rid and target:
            targets[rid] = "xl/" + target.lstrip("/").removeprefix("xl/")
    paths = {}
    for tag in _SHEET.findall(workbook):
        name, rid = _attr(tag, "name"), _attr(tag, "r:id")
        if name and rid in targets:
            paths[name] = targets[rid]
    return paths


def _number(value: Decimal | int) -> str:
    text = format(Decimal(value).normalize(), "f") if isinstance(value, Decimal) else str(value)
    return "0" if text == "-0" else text


def _cell_xml(coord: str, old: str | None, write: CellWrite) -> str:
    attrs = f' r="{coord}"'
    formula = ""
    if old:
        open_tag = old.split(">", 1)[0]
        for name in ("s", "cm"):
            if (v := _attr(open_tag, name)) is not None:
                attrs += f' {name}="{v}"'
        if m := _FORMULA.search(old):
            formula = m.group(0)
    value = write.value
    if value is None:
        return old if formula and old else f"<c{attrs}/>"
    if isinstance(value, bool):
        return f'<c{attrs} t="b">{formula}<v>{int(value)}</v></c>'
    if isinstance(value, Decimal | int):
        return f"<c{attrs}>{formula}<v>{_number(value)}</v></c>"
    text = html.escape(_ILLEGAL.sub("", str(value))[:MAX_TEXT], quote=False)
    if formula:
        return f'<c{attrs} t="str">{formula}<v>{text}</v></c>'
    return f'<c{attrs} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _row_xml(row_xml: str | None, row: int, writes: dict[str, CellWrite]) -> str:
    if row_xml is None:
        open_tag, body = f'<row r="{row}">', ""
    elif row_xml.endswith("/>"):
        open_tag, body = row_xml[:-2] + ">", ""
    else:
        open_tag, rest = row_xml.split(">", 1)
        open_tag += ">"
        body = rest[: -len("</row>")]
    open_tag = re.sub(r'\sspans="[^"]*"', "", open_tag)  # a hint only; stale once cells are added
    cells: dict[int, str] = {}
    order: list[int] = []
    for cell in _CELL.findall(body):
        ref = _attr(cell.split(">", 1)[0], "r") or ""
        col = column_index_from_string(coordinate_from_string(ref)[0])
        cells[col] = cell
        order.append(col)
    for coord, write in writes.items():
        col = column_index_from_string(coordinate_from_string(coord)[0])
        if col not in cells:
            order.append(col)
        cells[col] = _cell_xml(coord, cells.get(col), write)
    return open_tag + "".join(cells[c] for c in sorted(set(order))) + "</row>"


def _edit_sheet(xml: str, writes: dict[str, CellWrite]) -> str:
    by_row: dict[int, dict[str, CellWrite]] = defaultdict(dict)
    for coord, write in writes.items():
        by_row[coordinate_from_string(coord)[1]][coord] = write
    m = re.search(r"<sheetData\s*/>|<sheetData>(.*?)</sheetData>", xml, re.S)
    if m is None:
        raise ValueError("worksheet without sheetData")
    rows: dict[int, str] = {}
    for row_xml in _ROW.findall(m.group(1) or ""):
        rows[int(_attr(row_xml.split(">", 1)[0], "r") or 0)] = row_xml
    for r, row_writes in by_row.items():
        rows[r] = _row_xml(rows.get(r), r, row_writes)
    data = "<sheetData>" + "".join(rows[r] for r in sorted(rows)) + "</sheetData>"
    return xml[: m.start()] + data + xml[m.end() :]


def fill_workbook(template: Path, writes: dict[tuple[str, str], CellWrite]) -> bytes:
    """A copy of the workbook with the given (sheet, cell) values written."""
    per_sheet: dict[str, dict[str, CellWrite]] = defaultdict(dict)
    for (sheet, coord), write in writes.items():
        per_sheet[sheet][coord] = write
    out = io.BytesIO()
    with zipfile.ZipFile(template) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        paths = _sheet_paths(zin)
        unknown = set(per_sheet) - set(paths)
        if unknown:
            raise ValueError(f"sheets not in the template: {sorted(unknown)}")
        changed: dict[str, bytes] = {}
        for sheet, sheet_writes in per_sheet.items():
            xml = zin.read(paths[sheet]).decode("utf-8")
            changed[paths[sheet]] = _edit_sheet(xml, sheet_writes).encode("utf-8")
        workbook = zin.read("xl/workbook.xml").decode("utf-8")
        workbook = re.sub(
            r"<calcPr\b([^>]*?)/>",
            lambda m: (
                "<calcPr" + re.sub(r'\sfullCalcOnLoad="[^"]*"', "", m.group(1)) + ' fullCalcOnLoad="1"/>'
            ),
            workbook,
            count=1,
        )
        changed["xl/workbook.xml"] = workbook.encode("utf-8")
        for item in zin.infolist():
            zout.writestr(item, changed.get(item.filename, zin.read(item.filename)))
    return out.getvalue()
