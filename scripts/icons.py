"""Draw imapkey's icon (a key on an envelope-blue tile) and write every size from one source.

The drawing below is the one source: it is written as ``extension/icons/icon.svg`` (for store
listings) and rasterised, with 8x8 supersampling, into the PNG sizes the manifests name.
Pure Python (zlib + struct), so no image library or system package is needed; the output is
byte-for-byte reproducible, which ``tests/test_icons.py`` checks against the committed files.

    python3 scripts/icons.py [OUTPUT_DIR]
"""

from __future__ import annotations

import struct
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

SIZES = (16, 32, 48, 128)
UNITS = 128.0  # the drawing's coordinate space
SAMPLES = 8  # per axis, per pixel

TILE = (0x1F, 0x5F, 0xBF)  # blue
KEY = (0xFF, 0xFF, 0xFF)


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float

    def contains(self, x: float, y: float) -> bool:
        return (x - self.cx) ** 2 + (y - self.cy) ** 2 <= self.r**2

    def svg(self, fill: str) -> str:
        return f'<circle cx="{self.cx:g}" cy="{self.cy:g}" r="{self.r:g}" fill="{fill}"/>'


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    r: float = 0.0  # corner radius

    def contains(self, x: float, y: float) -> bool:
        if not (self.x <= x <= self.x + self.w and self.y <= y <= self.y + self.h):
            return False
        if self.r == 0:
            return True
        nx = min(max(x, self.x + self.r), self.x + self.w - self.r)
        ny = min(max(y, self.y + self.r), self.y + self.h - self.r)
        return (x - nx) ** 2 + (y - ny) ** 2 <= self.r**2

    def svg(self, fill: str) -> str:
        corner = f' rx="{self.r:g}"' if self.r else ""
        return (
            f'<rect x="{self.x:g}" y="{self.y:g}" width="{self.w:g}" height="{self.h:g}"'
            f'{corner} fill="{fill}"/>'
        )


# The drawing: a rounded tile; on it a key (bow with a hole, shaft, two bits).
TILE_SHAPE = Rect(4, 4, 120, 120, 26)
KEY_SHAPES = (
    Circle(44, 64, 27),
    Rect(60, 56, 50, 16, 3),
    Rect(88, 66, 10, 22, 2),
    Rect(100, 66, 10, 28, 2),
)
HOLE = Circle(44, 64, 11)


def colour_at(x: float, y: float) -> tuple[int, int, int, int]:
    """The drawing's colour at a point (alpha 0 outside the tile)."""
    if not TILE_SHAPE.contains(x, y):
        return (0, 0, 0, 0)
    if not HOLE.contains(x, y) and any(s.contains(x, y) for s in KEY_SHAPES):
        return (*KEY, 255)
    return (*TILE, 255)


def rasterise(size: int) -> bytes:
    """RGBA rows, each prefixed with PNG filter byte 0, averaged over the samples."""
    scale = UNITS / size
    rows = bytearray()
    n = SAMPLES * SAMPLES
    for py in range(size):
        rows.append(0)
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x = (px + (sx + 0.5) / SAMPLES) * scale
                    y = (py + (sy + 0.5) / SAMPLES) * scale
                    r, g, b, a = colour_at(x, y)
                    acc[0] += r * a
                    acc[1] += g * a
                    acc[2] += b * a
                    acc[3] += a
            alpha = acc[3]
            if alpha == 0:
                rows += b"\0\0\0\0"
            else:
                rows += bytes(round(c / alpha) for c in acc[:3]) + bytes([round(alpha / n)])
    return bytes(rows)


def png(size: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rasterise(size), 9))
        + chunk(b"IEND", b"")
    )


def svg() -> str:
    tile = "#{:02x}{:02x}{:02x}".format(*TILE)
    key = "#{:02x}{:02x}{:02x}".format(*KEY)
    parts = [TILE_SHAPE.svg(tile), *(s.svg(key) for s in KEY_SHAPES), HOLE.svg(tile)]
    body = "\n  ".join(parts)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" '
        f'viewBox="0 0 128 128">\n  {body}\n</svg>\n'
    )


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "icon.svg"]
    written[0].write_text(svg(), encoding="utf-8")
    for size in SIZES:
        path = folder / f"icon-{size}.png"
        path.write_bytes(png(size))
        written.append(path)
    return written


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[1] / "extension" / "icons"
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else default):
        print(path)
