#!/usr/bin/env python3
"""Finds markers in a PNG: for each colour given, the centroid of the pixels of exactly that colour
inside a rectangle. Used by the map tests to check where rsvg-convert drew each site.

    png_markers.py FILE.png LEFT TOP WIDTH HEIGHT RRGGBB [RRGGBB ...]

Prints one line per colour: `RRGGBB x y count` (x, y: pixel centres; count 0 if not found).
A plain decoder for 8-bit, non-interlaced RGB/RGBA PNGs, which is what rsvg-convert writes.
"""
import struct
import sys
import zlib


def read_png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, "unsupported PNG"
            channels = 4 if colour == 6 else 3
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


width, height, channels, rows = read_png(sys.argv[1])
left, top, w, h = (int(float(v)) for v in sys.argv[2:6])
for colour in sys.argv[6:]:
    target = bytes.fromhex(colour)
    sx = sy = n = 0
    for y in range(max(0, top), min(height, top + h)):
        row = rows[y]
        for x in range(max(0, left), min(width, left + w)):
            if row[x * channels:x * channels + 3] == target:
                sx += x + 0.5
                sy += y + 0.5
                n += 1
    print(colour, f"{sx / n:.2f}" if n else "nan", f"{sy / n:.2f}" if n else "nan", n)
