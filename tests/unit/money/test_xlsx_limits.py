"""Issue 19, item 2: a tiny xlsx that declares a huge sheet is refused before parsing, and parsing runs in a
subprocess with a memory limit, so even a file that slips past the checks cannot kill the web process."""

import io
import zipfile

import pytest

from stpulse.adapters.xlsx.costs import CalamineCostSheetReader
from stpulse.application.costs.cogs_import import SpreadsheetRejected

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
       'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
       'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
         'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
       'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
       '<sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def sheet_file(cells: str, dimension: str | None) -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main">{dim}<sheetData>{cells}</sheetData></worksheet>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in (("[Content_Types].xml", _CT), ("_rels/.rels", _RELS), ("xl/workbook.xml", _WB),
                           ("xl/_rels/workbook.xml.rels", _WB_RELS), ("xl/worksheets/sheet1.xml", sheet)):
            z.writestr(name, text)
    return buf.getvalue()


CORNERS = ('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
           '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>y</t></is></c></row>')


def test_the_corner_cells_file_is_small_and_a_good_sheet_still_reads():
    assert len(sheet_file(CORNERS, "A1:XFD1048576")) < 2000
    good = sheet_file('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c><c r="B1"><v>5</v></c></row>', "A1:B1")
    assert CalamineCostSheetReader().read_rows(good) == [["x", 5.0]]


@pytest.mark.parametrize("dimension", ["A1:XFD1048576", None, "A1:B2"])  # declared, absent or lying dimension
def test_a_sheet_spanning_a_huge_area_is_refused_before_parsing(dimension):
    with pytest.raises(SpreadsheetRejected, match="слишком много"):
        CalamineCostSheetReader().read_rows(sheet_file(CORNERS, dimension))


def test_too_many_cells_are_refused():
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>1</v></c><c r="B{i}"><v>2</v></c></row>' for i in range(1, 2001))
    with pytest.raises(SpreadsheetRejected, match="слишком много"):
        CalamineCostSheetReader(max_cells=1000).read_rows(sheet_file(rows, None))


def test_a_file_past_the_checks_dies_in_the_subprocess_not_here():
    """With the area checks switched off the parser tries to allocate hundreds of GiB: the memory-limited
    subprocess dies and the caller gets a refusal (this process would abort without the subprocess)."""
    reader = CalamineCostSheetReader(max_rows=10**12, max_columns=10**12, max_cells=10**12)
    with pytest.raises(SpreadsheetRejected, match="Не удалось прочитать"):
        reader.read_rows(sheet_file(CORNERS, "A1:XFD1048576"))


def test_positional_cells_without_references_are_bounded_too():
    """Cells may omit their r="A1": the scan then counts positions (here 300 columns in one row)."""
    wide = '<row>' + '<c><v>1</v></c>' * 300 + '</row>'
    with pytest.raises(SpreadsheetRejected, match="слишком много"):
        CalamineCostSheetReader().read_rows(sheet_file(wide, None))
    narrow = '<row>' + '<c><v>1</v></c>' * 3 + '</row>'
    assert CalamineCostSheetReader().read_rows(sheet_file(narrow, None)) == [[1.0, 1.0, 1.0]]


def test_a_doctype_in_a_sheet_is_refused():
    src = zipfile.ZipFile(io.BytesIO(sheet_file('<row r="1"><c r="A1"><v>1</v></c></row>', None)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in src.namelist():
            data = src.read(name)
            if name.endswith("sheet1.xml"):
                data = data.replace(b"<worksheet", b'<!DOCTYPE w [<!ENTITY a "aaaa">]><worksheet', 1)
            z.writestr(name, data)
    with pytest.raises(SpreadsheetRejected, match="повреждён"):
        CalamineCostSheetReader().read_rows(out.getvalue())
