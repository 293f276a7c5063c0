"""Opening the members of a zip (an .xlsx, a CSV zip, an XLSForm) without trusting it.

A zip's directory says how large each member unpacks to, but it is written by whoever
made the file. :func:`check_directory` refuses what it declares past the limits (too many
members, a member or the whole too large, a member that unpacks to too many times its
packed size) before anything is inflated, and :func:`open_member` gives a stream that
stops with :class:`ZipLimitError` as soon as a member inflates past its declared size, so
a lying directory cannot make a reader inflate more than the limits allow.
"""

from __future__ import annotations

import copy
import io
import zipfile
from dataclasses import dataclass

from fieldsurvey.i18n.core import N_

MB = 1 << 20
#: Members smaller than this are not held to the ratio (tiny parts compress oddly).
RATIO_FLOOR = MB


@dataclass(frozen=True)
class ZipLimits:
    members: int
    member_bytes: int
    total_bytes: int
    ratio: int  # unpacked / packed size, for members over RATIO_FLOOR


class ZipLimitError(Exception):
    """A zip that passes one of its limits: ``message`` (an English template marked with
    ``N_()``) and ``params`` say which, ``member`` is the member it was found in."""

    def __init__(self, message: str, params: dict, member: str | None = None) -> None:
        super().__init__(message.format(**params))
        self.message = message
        self.params = params
        self.member = member


def check_directory(archive: zipfile.ZipFile, limits: ZipLimits) -> None:
    """Refuse ``archive`` when what its directory declares passes ``limits``."""
    infos = archive.infolist()
    if len(infos) > limits.members:
        raise ZipLimitError(
            N_("The file holds more than {limit} parts, far more than it should (possibly "
               "a zip bomb); the file was refused."), {"limit": limits.members})
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.member_bytes:
            raise ZipLimitError(
                N_("The part {member} of the file unpacks to more than {limit} MB (possibly "
                   "a zip bomb); the file was refused."),
                {"member": info.filename, "limit": limits.member_bytes // MB}, info.filename)
        if total > limits.total_bytes:
            raise ZipLimitError(
                N_("The file unpacks to more than {limit} MB in all (possibly a zip bomb); "
                   "the file was refused."), {"limit": limits.total_bytes // MB}, info.filename)
        if (info.file_size > RATIO_FLOOR
                and info.file_size > limits.ratio * max(info.compress_size, 1)):
            raise ZipLimitError(
                N_("The part {member} of the file unpacks to more than {limit} times its "
                   "packed size (possibly a zip bomb); the file was refused."),
                {"member": info.filename, "limit": limits.ratio}, info.filename)


class _GuardedMember(io.RawIOBase):
    """A member's stream that raises once more bytes come out than the directory declared."""

    def __init__(self, stream, info: zipfile.ZipInfo) -> None:
        self._stream = stream
        self._declared = info.file_size
        self._name = info.filename
        self._count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._stream.read(len(buffer))
        self._count += len(data)
        if self._count > self._declared:
            raise ZipLimitError(
                N_("The part {member} of the file unpacks to more than the {limit} bytes "
                   "its directory declares (a damaged file or a zip bomb); the file was "
                   "refused."), {"member": self._name, "limit": self._declared}, self._name)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._stream.close()
        super().close()


def open_member(archive: zipfile.ZipFile, name: str | zipfile.ZipInfo) -> io.BufferedReader:
    """Open a member for reading; more data than its declared size raises ZipLimitError.

    zipfile itself stops at the declared size and then reports a bad CRC, within the read
    that reaches it: it is told of more, so that a lie is named as such, and the count
    stops it at the first read past the declared size.
    """
    info = archive.getinfo(name) if isinstance(name, str) else name
    told = copy.copy(info)
    told.file_size = info.file_size + (1 << 30)
    return io.BufferedReader(_GuardedMember(archive.open(told), info), 1 << 16)


def inflate_all(archive: zipfile.ZipFile, limits: ZipLimits) -> None:
    """Check the directory, then inflate every member (discarding it): for a file that
    another library will read, whose reading cannot be bounded from here."""
    check_directory(archive, limits)
    for info in archive.infolist():
        with open_member(archive, info) as stream:
            while stream.read(1 << 20):
                pass
