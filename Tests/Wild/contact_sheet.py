#!/usr/bin/env python3
"""A contact sheet of the wild set, to check by eye that every file shows the digit it is labelled.

    python3 Tests/Wild/contact_sheet.py --set DIR --out sheet.png [--count 100] [--source S] [--encoding E] [--variant TEXT]

Each cell: the image as a viewer shows it (EXIF orientation honoured, transparency over a
checkerboard), its CSV line's 28x28 beside it, and the label/encoding underneath. Why: labels
and rotations are the one thing the numbers cannot check.
"""
import argparse
import csv

import numpy as np
from PIL import Image, ImageDraw, ImageOps

CELL = 128


def checker(size):
    """A grey checkerboard, so transparent areas are visible as such."""
    yy, xx = np.mgrid[0:size[1], 0:size[0]]
    return Image.fromarray(np.where((yy // 8 + xx // 8) % 2, 200, 150).astype(np.uint8), "L").convert("RGB")


def shown(path):
    """The file as a viewer shows it: orientation applied, alpha composited."""
    img = ImageOps.exif_transpose(Image.open(path))
    if img.mode == "I;16":
        img = Image.fromarray((np.asarray(img) >> 8).astype(np.uint8), "L")
    img = img.convert("RGBA")
    base = checker(img.size).convert("RGBA")
    return Image.alpha_composite(base, img).convert("RGB")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--source")
    ap.add_argument("--encoding")
    ap.add_argument("--variant", help="only files whose variant column contains this, e.g. neighbour")
    ap.add_argument("--start", type=int, default=0, help="seed of the sample")
    args = ap.parse_args()
    rows = list(csv.DictReader(open(f"{args.set}/manifest.csv")))
    csv_lines = {}
    for r in rows:
        if r["encoding"] == "csv":
            csv_lines[r["id"]] = (r["file"], int(r["line"]))
    files = [r for r in rows if r["encoding"] != "csv"
             and (not args.source or r["source"] == args.source)
             and (not args.encoding or r["encoding"].startswith(args.encoding))
             and (not args.variant or args.variant in r["variant"])]
    order = np.random.default_rng(args.start).permutation(len(files))[: args.count]
    pick = [files[i] for i in sorted(order)]
    cache = {}
    cols = 8
    sheet = Image.new("RGB", (cols * (CELL + 60), ((len(pick) + cols - 1) // cols) * (CELL + 28)), "white")
    draw = ImageDraw.Draw(sheet)
    for i, r in enumerate(pick):
        x, y = (i % cols) * (CELL + 60), (i // cols) * (CELL + 28)
        img = shown(f"{args.set}/{r['file']}")
        scale = CELL / max(img.size)
        img = img.resize((max(1, round(img.width * scale)), max(1, round(img.height * scale))),
                         Image.NEAREST if scale > 1 else Image.BOX)
        sheet.paste(img, (x, y))
        name, line = csv_lines[r["id"]]
        if name not in cache:
            cache[name] = open(f"{args.set}/{name}").read().splitlines()
        values = np.array(cache[name][line - 1].split(",")[1:], np.uint8).reshape(28, 28)
        sheet.paste(Image.fromarray(values, "L").resize((56, 56), Image.NEAREST), (x + CELL + 2, y))
        draw.text((x, y + CELL + 2), f"{r['label']} {r['encoding'][:14]}", fill="black")
        draw.text((x, y + CELL + 14), r["id"][-14:], fill="grey")
    sheet.save(args.out)


if __name__ == "__main__":
    main()
