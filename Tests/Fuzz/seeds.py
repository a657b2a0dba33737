#!/usr/bin/env python3
"""Starting corpora for `make fuzz`: a few valid inputs of each kind, made here (never MNIST).

Usage: seeds.py FOLDER  (writes FOLDER/IDX, FOLDER/CSV, FOLDER/PNG, FOLDER/JPEG, FOLDER/Model)
"""
import gzip
import json
import os
import struct
import sys
import zlib


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def idx(dims, payload):
    return bytes([0, 0, 8, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + payload


def digit(width, height):
    """A ring on a light background, as gray bytes."""
    out = bytearray()
    for y in range(height):
        for x in range(width):
            r = ((x - width / 2) ** 2 + (y - height / 2) ** 2) ** 0.5
            out.append(0 if min(width, height) * 0.25 < r < min(width, height) * 0.4 else 255)
    return bytes(out)


def png(width, height, color_type, rows, interlace=0, bit_depth=8, palette=None):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + row for row in rows)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, interlace))
    if palette:
        out += chunk(b"PLTE", palette)
    return out + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def main():
    root = sys.argv[1]
    # IDX: labels and images, plain and gzip.
    labels = idx([10], bytes(range(10)))
    images = idx([2, 28, 28], digit(28, 28) * 2)
    write(f"{root}/IDX", "labels", labels)
    write(f"{root}/IDX", "images", images)
    write(f"{root}/IDX", "labels.gz", gzip.compress(labels, mtime=0))
    write(f"{root}/IDX", "images.gz", gzip.compress(images, mtime=0))
    # CSV: 784 values, 785 with a label, two lines, decimals.
    pixels = [str(b) for b in digit(28, 28)]
    write(f"{root}/CSV", "784.csv", ",".join(pixels).encode())
    write(f"{root}/CSV", "785.csv", ("7," + ",".join(pixels) + "\n").encode())
    write(f"{root}/CSV", "two.csv", ("1," + ",".join(pixels) + "\r\n2," + ",".join(pixels) + "\n").encode())
    write(f"{root}/CSV", "decimals.csv", ",".join(p + ".5" if p == "0" else p for p in pixels).encode())
    # PNG: gray, RGB, gray+alpha, RGBA, palette, interlaced, 1-bit.
    w, h = 24, 20
    gray = digit(w, h)
    rows = [gray[y * w:(y + 1) * w] for y in range(h)]
    write(f"{root}/PNG", "gray.png", png(w, h, 0, rows))
    write(f"{root}/PNG", "rgb.png", png(w, h, 2, [bytes(v for p in r for v in (p, p, p)) for r in rows]))
    write(f"{root}/PNG", "ga.png", png(w, h, 4, [bytes(v for p in r for v in (0, 255 - p)) for r in rows]))
    write(f"{root}/PNG", "rgba.png", png(w, h, 6, [bytes(v for p in r for v in (p, p, p, 255)) for r in rows]))
    write(f"{root}/PNG", "palette.png", png(w, h, 3, [bytes(0 if p == 0 else 1 for p in r) for r in rows], palette=b"\x00\x00\x00\xff\xff\xff"))
    write(f"{root}/PNG", "interlaced.png", png(w, h, 0, rows, interlace=1))
    bits = [bytes(sum((1 if r[x + i] else 0) << (7 - i) for i in range(8)) for x in range(0, w, 8)) for r in rows]
    write(f"{root}/PNG", "1bit.png", png(w, h, 0, bits, bit_depth=1))
    mnist = digit(28, 28)
    write(f"{root}/PNG", "mnist.png", png(28, 28, 0, [bytes(255 - p for p in mnist[y * 28:(y + 1) * 28]) for y in range(28)]))
    # JPEG (through Pillow, when it is installed): baseline gray and colour, progressive, CMYK,
    # and EXIF orientation 6.
    try:
        import io
        from PIL import Image
        gray = Image.frombytes("L", (w, h), digit(w, h))
        exif = Image.Exif()
        exif[0x0112] = 6
        for name, image, options in [("gray.jpg", gray, {}), ("rgb.jpg", gray.convert("RGB"), {}),
                                     ("progressive.jpg", gray, {"progressive": True}), ("cmyk.jpg", gray.convert("CMYK"), {}),
                                     ("exif6.jpg", gray, {"exif": exif.tobytes()})]:
            out = io.BytesIO()
            image.save(out, "JPEG", quality=85, **options)
            write(f"{root}/JPEG", name, out.getvalue())
    except ImportError:
        print("seeds.py: no Pillow, no JPEG seeds (pip install Pillow)", file=sys.stderr)
    # Model: a safetensors file with one hidden unit.
    tensors = [("W_ih", [784, 1]), ("W_ho", [1, 10]), ("b_h", [1]), ("b_o", [10])]
    header, data, offset = {"__metadata__": {"format": "digits-model", "format_version": "1"}}, b"", 0
    for name, shape in tensors:
        count = 1
        for d in shape:
            count *= d
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + 4 * count]}
        data += struct.pack(f"<{count}f", *[0.01 * (i % 7) for i in range(count)])
        offset += 4 * count
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-(len(text) + 8) % 8)
    write(f"{root}/Model", "tiny.safetensors", struct.pack("<Q", len(text)) + text + data)


if __name__ == "__main__":
    main()
