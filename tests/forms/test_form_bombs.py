"""XLSForms that are zip bombs: refused before pyxform reads them, with memory bounded and
a message naming the file and the limit (not pyxform's "You must have a sheet named
survey", which is what reading a bomb ends with).

A bomb's sheet is made of one block compressed with a full flush (after which deflate
starts afresh) repeated, so the test never holds what the file inflates to."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zipfile
import zlib

import pytest
from xlsform import write_xlsform

from fieldsurvey.errors import FormError
from fieldsurvey.forms import load_form

BOMB = 1200 * 10**6
CEILING_MB = 500
SURVEY = [["type", "name", "label"], ["text", "name", "Name"]]


def _bomb(tmp_path, *, declared: int | None = None, size: int = BOMB):
    """An XLSForm whose choices sheet inflates to ``size`` bytes of cells; its directory
    says ``declared`` (the truth when None)."""
    good = write_xlsform(tmp_path / "good.xlsx", SURVEY, [["list_name", "name", "label"]])
    with zipfile.ZipFile(good) as z:
        names = z.namelist()
        member = "xl/worksheets/sheet2.xml"
        head, tail = z.read(member).split(b"</sheetData>")
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20000
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    times = size // len(row)
    first = comp.compress(head) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(row) + comp.flush(zlib.Z_FULL_FLUSH)
    raw = first + block * times + comp.compress(b"</sheetData>" + tail) + comp.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(row, crc)
    crc = zlib.crc32(b"</sheetData>" + tail, crc)
    total = len(head) + len(row) * times + len(b"</sheetData>") + len(tail)
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in names:
            if name != member:
                zout.writestr(name, zin.read(name))
        zout.writestr(zipfile.ZipInfo(member), raw, compress_type=zipfile.ZIP_STORED)
    _patch(path, member, crc, total if declared is None else declared)
    return path


def _patch(path, name: str, crc: int, size: int) -> None:
    """Mark the stored member ``name`` deflated, with this CRC-32 and unpacked size."""
    data = bytearray(path.read_bytes())
    offset = zipfile.ZipFile(path).getinfo(name).header_offset
    struct.pack_into("<HxxxxL", data, offset + 8, zipfile.ZIP_DEFLATED, crc)
    struct.pack_into("<L", data, offset + 22, size)
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        length = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46: pos + 46 + length] == name.encode():
            struct.pack_into("<HxxxxL", data, pos + 10, zipfile.ZIP_DEFLATED, crc)
            struct.pack_into("<L", data, pos + 24, size)
        pos = data.find(b"PK\x01\x02", pos + 4)
    path.write_bytes(bytes(data))


_MEASURE = (
    "import resource, subprocess, sys\n"
    "run = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "sys.stdout.write(f'{run.returncode} {peak}\\n' + run.stdout + run.stderr)\n"
)


def _run_measured(*args: str) -> tuple[int, float, str]:
    """``python -m fieldsurvey ARGS`` in a child of a child: status, peak RSS (MB), output."""
    pytest.importorskip("resource")
    env = {**os.environ, "FIELDSURVEY_LANG": "en"}
    out = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, "-m", "fieldsurvey",
                          *args], capture_output=True, text=True, env=env, timeout=300).stdout
    first, _, output = out.partition("\n")
    status, peak = first.split()
    scale = 1 << 20 if sys.platform == "darwin" else 1 << 10
    return int(status), int(peak) / scale, output


@pytest.mark.slow
@pytest.mark.parametrize(("command", "declared", "named"), [
    (["form", "check"], None, "unpacks to more than 32 MB"),
    (["form", "check"], 600_000, "more than the 600000 bytes its directory declares"),
    (["forms", "install"], 600_000, "more than the 600000 bytes its directory declares"),
], ids=["check", "check, size lied", "install, size lied"])
def test_xlsform_bomb_is_refused_within_memory(command, declared, named, tmp_path):
    bomb = _bomb(tmp_path, declared=declared)
    assert bomb.stat().st_size < 5 << 20
    status, peak, output = _run_measured("--data-dir", str(tmp_path / "data"), *command,
                                         str(bomb))
    assert status != 0, output
    assert peak < CEILING_MB, (peak, output)
    assert "bomb.xlsx" in output and named in output, output
    assert "sheet named survey" not in output and "Traceback" not in output
    if command[0] == "forms":
        listed = _run_measured("--data-dir", str(tmp_path / "data"), "forms", "list")[2]
        assert "good" not in listed and "bomb" not in listed


def test_xlsform_over_the_size_limit_is_refused_before_pyxform(tmp_path):
    # 40 MB of sheet at a modest ratio: no bomb by ratio, but more than any questionnaire.
    bomb = _bomb(tmp_path, size=40 << 20)
    with pytest.raises(FormError) as exc:
        load_form(bomb)
    assert exc.value.code == "form.bomb" and exc.value.path == str(bomb)
    assert "32 MB" in str(exc.value)


def test_xlsform_within_the_limits_loads(tmp_path):
    form = load_form(write_xlsform(tmp_path / "fine.xlsx", SURVEY))
    assert "name" in [item.name for item in form.definition.iter_items()]


def test_xls_larger_than_the_limit_is_refused_unread(tmp_path):
    big = tmp_path / "huge.xls"
    with open(big, "wb") as handle:
        handle.truncate(9 << 20)  # sparse: what is in it does not matter, it is not read
    with pytest.raises(FormError) as exc:
        load_form(big)
    assert exc.value.code == "form.too_large" and "8 MB" in str(exc.value)
