"""Reading zip members with a hard cap on the bytes inflated, whatever the headers say.

A zip's headers state each member's size, but nothing makes them true: a 1 MB
member that claims a few bytes may inflate to gigabytes, and
:meth:`zipfile.ZipFile.read` inflates a whole compressed chunk before cutting it
to the stated size. Here members are inflated a chunk at a time, counting the
bytes that actually come out, and reading stops as soon as the total passes
the cap: memory stays at one chunk however big the bomb.
"""

from __future__ import annotations

import copy
import io
import sys
import zipfile
from collections.abc import Iterator

from .models import TappedInError

CHUNK = 64 * 1024
#: Compressions whose inflating can be bounded by the bytes asked for.
_BOUNDED = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


class UnzipError(TappedInError):
    """A zip member can't be read within the cap (or at all)."""


class CappedZip:
    """The members of one open zip, inflated with at most ``limit`` bytes in all."""

    def __init__(self, zf: zipfile.ZipFile, name: str, limit: int):
        self.zf = zf
        self.name = name
        self.limit = limit
        self.left = limit

    def chunks(self, member: str) -> Iterator[bytes]:
        """The member's bytes, a chunk at a time; UnzipError once the cap is passed."""
        info = copy.copy(self.zf.getinfo(member))
        if info.compress_type not in _BOUNDED:
            raise UnzipError(f"{member} inside {self.name} uses a compression TAPPED IN "
                             "doesn't read. Nothing was imported.")
        # The stated size is not trusted: read until the data itself ends (the cap
        # below stops a bomb).
        info.file_size = sys.maxsize
        try:
            with self.zf.open(info) as fh:
                while chunk := fh.read(CHUNK):
                    self.left -= len(chunk)
                    if self.left < 0:
                        raise UnzipError(
                            f"{self.name} unpacks to more than {self.limit // 1024 // 1024} "
                            "MB; that is too big to import. Nothing was imported.")
                    yield chunk
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as e:
            raise UnzipError(f"{member} inside {self.name} can't be read ({e}). Nothing "
                             "was imported.") from None

    def read(self, member: str) -> bytes:
        """One whole member (within the cap)."""
        return b"".join(self.chunks(member))

    def repacked(self) -> bytes:
        """The whole zip written again with true sizes, for readers that trust headers."""
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
            for info in self.zf.infolist():
                if info.is_dir():
                    continue
                with out.open(info.filename, "w") as dst:
                    for chunk in self.chunks(info.filename):
                        dst.write(chunk)
        return buf.getvalue()
