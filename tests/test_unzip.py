"""Zips whose headers lie about their members' sizes are refused with small memory."""

from __future__ import annotations

import struct
import subprocess
import sys
import textwrap
import zlib

import pytest

GIB = 1 << 30


@pytest.fixture(scope="module")
def bomb_body():
    """1 GiB of zeros, deflated (about 1 MB), and the CRC of the whole."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = b"\0" * (1 << 20)
    parts, crc = [], 0
    for _ in range(GIB // len(zeros)):
        parts.append(comp.compress(zeros))
        crc = zlib.crc32(zeros, crc)
    parts.append(comp.flush())
    return b"".join(parts), crc


def lying_zip(members: dict[str, bytes], bomb: str, body: bytes, crc: int) -> bytes:
    """A zip holding ``members`` as they are, and ``bomb`` whose headers say 100 bytes."""
    out, central = bytearray(), bytearray()
    entries = [(n, zlib.compress(d)[2:-4], zlib.crc32(d), len(d)) for n, d in members.items()]
    entries.append((bomb, body, crc, 100))
    for name, data, member_crc, stated in entries:
        raw = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, member_crc,
                           len(data), stated, len(raw), 0) + raw + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21,
                               member_crc, len(data), stated, len(raw), 0, 0, 0, 0, 0,
                               offset) + raw
    cd_offset = len(out)
    out += central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                                 len(central), cd_offset, 0)
    return bytes(out)


_IMPORT = textwrap.dedent("""
    import sys
    from tappedin_widgets.exchange import ExchangeError, import_file
    from tappedin_widgets.store import Store
    store = Store(sys.argv[1])
    try:
        import_file(store, sys.argv[2])
        print("imported")
    except ExchangeError as e:
        print(e)
    print(store.is_empty())
    # VmHWM is this process's own peak since exec; ru_maxrss would also count the
    # forked parent's size (a full pytest run is 500 MB by the time this runs).
    with open("/proc/self/status") as f:
        print(next(int(l.split()[1]) for l in f if l.startswith("VmHWM:")) // 1024)  # MB
""")

_XLSX_PARTS = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


@pytest.mark.parametrize("members, bomb", [
    ({}, "tappedin.json"),                        # an export zip
    ({"applications.csv": b"id,company,role\n"}, "contacts.csv"),
    (_XLSX_PARTS, "xl/worksheets/sheet1.xml"),    # a workbook
], ids=["json", "csv", "xlsx"])
def test_a_zip_whose_header_understates_a_member_is_refused_with_small_memory(
        tmp_path, bomb_body, members, bomb):
    body, crc = bomb_body
    ext = ".xlsx" if bomb.startswith("xl/") else ".zip"
    path = tmp_path / f"bomb{ext}"
    path.write_bytes(lying_zip(members, bomb, body, crc))
    assert path.stat().st_size < 1.1 * 1024 * 1024
    done = subprocess.run([sys.executable, "-c", _IMPORT, str(tmp_path / "t.db"), str(path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    message, empty, peak_mb = done.stdout.strip().splitlines()[-3:]
    assert "too big to import" in message and path.name in message, done.stdout + done.stderr
    assert empty == "True"
    assert int(peak_mb) < 400, f"peak memory {peak_mb} MB"
