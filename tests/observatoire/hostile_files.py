"""Files a clumsy user or an attacker sends to the imports; shared by the tests and
``bench/bench_hostile_imports.py`` (which measures time and peak memory on each)."""

from __future__ import annotations

import io
import zipfile

WIDE = "CODGEO;LIBGEO;TX_CHOM\n94080;Vincennes;7,5\n94067;Saint-Mandé;6,2\n"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="valeurs" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def xlsx_bomb(rows: int = 1_600_000) -> bytes:
    """A valid workbook whose one sheet has ``rows`` identical numeric rows: the default
    (1.6 M rows) weighs ≈ 450 KB and unzips to ≈ 133 MB, like the zip bomb reported against the imports."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>"
            )
            # Row and cell references are optional: identical rows compress ≈ 300 times.
            row_xml = b'<row><c t="inlineStr"><is><t>94080</t></is></c><c><v>7.5</v></c></row>'
            row_xml += b" " * (83 - len(row_xml))
            for start in range(0, rows, 10_000):
                sheet.write(row_xml * min(10_000, rows - start))
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def xlsx_file(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def hostile_files(*, large: bool = False) -> dict[str, tuple[str, bytes]]:
    """name → (file name, bytes). ``large``: the full-size bomb and 1 M lines (bench)."""
    good_xlsx = xlsx_file([["CODGEO", "TX_CHOM"], ["94080", 7.5], ["94067", 6.2]])
    lines = 1_000_000 if large else 100_000
    return {
        "nul-bytes": ("valeurs.csv", WIDE.encode() + b"94\x0080;1\x00;2\n"),
        "utf16-bom-tab": ("valeurs.txt", WIDE.replace(";", "\t").encode("utf-16")),
        "utf16le-no-bom": ("valeurs.csv", WIDE.encode("utf-16-le")),
        "utf16be-no-bom": ("valeurs.csv", WIDE.encode("utf-16-be")),
        "utf32-bom": ("valeurs.csv", WIDE.encode("utf-32")),
        "utf32le-no-bom": ("valeurs.csv", WIDE.encode("utf-32-le")),
        "binary": ("valeurs.csv", bytes(range(256)) * 64),
        "png-as-csv": ("valeurs.csv", b"\x89PNG\r\n\x1a\n" + bytes(200)),
        "xls-97": ("valeurs.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000)),
        "truncated-xlsx": ("valeurs.xlsx", good_xlsx[: len(good_xlsx) // 2]),
        "zip-not-xlsx": ("valeurs.xlsx", _plain_zip()),
        "xlsx-bomb": ("bombe.xlsx", xlsx_bomb(1_600_000 if large else 300_000)),
        "10000-columns": (
            "valeurs.csv",
            (";".join(["CODGEO", *(f"C{i}" for i in range(10_000))]) + "\n94080;1\n").encode(),
        ),
        "1m-empty-lines": ("valeurs.csv", WIDE.encode() + b"\n" * lines),
        "1m-separator-lines": ("valeurs.csv", WIDE.encode() + b";;\n" * lines),
        "only-header": ("valeurs.csv", b"CODGEO;TX_CHOM\n"),
        "empty": ("valeurs.csv", b""),
        "huge-cell": ("valeurs.csv", b"CODGEO;TX_CHOM\n94080;" + b"9" * 300_000 + b"\n"),
        "unbalanced-quotes": ("valeurs.csv", b'CODGEO;TX_CHOM\n"94080;7,5\n94067;"6,2\n'),
    }


def _plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "pas un classeur")
    return buffer.getvalue()
