#!/usr/bin/env python3
"""Draw the FieldSurvey icon with QPainter and write ``resources/fieldsurvey.png`` and ``.ico``.

The icon is a clipboard holding a questionnaire (three answered lines with check marks)
over a map pin, in the app's teal. It is drawn as vectors at every size, so the small
sizes stay crisp instead of being scaled down from 256 pixels.

The ``.ico`` is written here rather than through Qt's image plugins, which are not in
every PySide6 wheel: 16 to 48 pixels as 32-bit bitmaps (what older Windows shells and
NSIS read best), 64 to 256 as PNG entries (what Windows Vista and later expect there).

    python scripts/make_icon.py            # rewrite both files in resources/
    python scripts/make_icon.py --out DIR  # write them elsewhere
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
)

ROOT = Path(__file__).resolve().parents[1]
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
#: Sizes below this are stored as bitmaps in the .ico, the rest as PNG.
PNG_FROM = 64

TEAL = QColor("#0f766e")
TEAL_DARK = QColor("#115e59")
PAPER = QColor("#f8fafc")
INK = QColor("#334155")
CHECK = QColor("#16a34a")
PIN = QColor("#ea580c")


def draw_icon(size: int) -> QImage:
    """The icon at ``size`` x ``size`` pixels, transparent background."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size / 256.0, size / 256.0)  # draw on a 256-unit canvas
    small = size <= 24

    # Board of the clipboard.
    painter.setPen(QPen(TEAL_DARK, 6))
    painter.setBrush(QBrush(TEAL))
    painter.drawRoundedRect(QRectF(36, 28, 184, 212), 22, 22)
    # Sheet of paper.
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(PAPER))
    painter.drawRoundedRect(QRectF(56, 52, 144, 168), 10, 10)
    # Clip at the top.
    painter.setBrush(QBrush(TEAL_DARK))
    painter.drawRoundedRect(QRectF(92, 16, 72, 36), 12, 12)

    # Answered questions: a check box with a tick and a line of text. Small sizes keep
    # two rows, or the lines melt into a grey block.
    rows = (84, 140) if small else (82, 120, 158)
    for y in rows:
        painter.setPen(QPen(INK, 12 if small else 7))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(70, y - 12, 24, 24), 4, 4)
        tick = QPainterPath(QPointF(74, y))
        tick.lineTo(QPointF(81, y + 8))
        tick.lineTo(QPointF(93, y - 10))
        painter.setPen(QPen(CHECK, 14 if small else 9, Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        painter.drawPath(tick)
        painter.setPen(QPen(INK, 14 if small else 9, Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap))
        painter.drawLine(QPointF(108, y), QPointF(178 if y != rows[-1] else 150, y))

    # Map pin at the bottom right: the interviews happen in the field.
    pin = QPainterPath()
    pin.moveTo(QPointF(196, 246))
    pin.cubicTo(QPointF(180, 222), QPointF(156, 204), QPointF(156, 178))
    pin.arcTo(QRectF(156, 138, 80, 80), 180, -180)
    pin.cubicTo(QPointF(236, 204), QPointF(212, 222), QPointF(196, 246))
    pin.closeSubpath()
    painter.setPen(QPen(QColor("#9a3412"), 5))
    painter.setBrush(QBrush(PIN))
    painter.drawPath(pin)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(PAPER))
    painter.drawEllipse(QPointF(196, 178), 15, 15)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def dib_bytes(image: QImage) -> bytes:
    """An icon bitmap: BITMAPINFOHEADER, bottom-up BGRA pixels, then the 1-bit AND mask."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)  # BGRA in memory (little endian)
    size = image.width()
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    stride = size * 4
    raw = bytes(image.constBits())[: stride * size]
    pixels = b"".join(raw[row * stride:(row + 1) * stride] for row in reversed(range(size)))
    mask_stride = ((size + 31) // 32) * 4
    mask = bytes(mask_stride * size)  # all zero: the alpha channel decides transparency
    return header + pixels + mask


def ico_bytes(images: dict[int, QImage]) -> bytes:
    """A Windows .ico file holding every image in ``images`` (size -> image)."""
    entries = []
    for size in sorted(images):
        image = images[size]
        entries.append((size, png_bytes(image) if size >= PNG_FROM else dib_bytes(image)))
    header = struct.pack("<HHH", 0, 1, len(entries))
    offset = 6 + 16 * len(entries)
    directory = b""
    for size, data in entries:
        side = 0 if size >= 256 else size  # 0 means 256 in an icon directory
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return header + directory + b"".join(data for _size, data in entries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "resources",
                        help="folder to write fieldsurvey.png and fieldsurvey.ico into")
    args = parser.parse_args(argv)
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    args.out.mkdir(parents=True, exist_ok=True)
    images = {size: draw_icon(size) for size in ICO_SIZES}
    (args.out / "fieldsurvey.png").write_bytes(png_bytes(images[256]))
    (args.out / "fieldsurvey.ico").write_bytes(ico_bytes(images))
    print(f"wrote {args.out / 'fieldsurvey.png'} and {args.out / 'fieldsurvey.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
