#!/usr/bin/env python3
"""Draws the sample digits in this folder, for `digits query` to read on a fresh clone.

    python3 Resources/samples/make_samples.py           # (re)write the samples here
    python3 Resources/samples/make_samples.py --check   # exit 1 if a file differs from a fresh drawing

Every digit is pen strokes defined below (lines and cubic Bezier curves in a unit box), drawn
with an analytic anti-aliased pen: a pixel's ink is how far its centre lies inside the pen's
radius, over a one-pixel ramp. Nothing comes from MNIST or any other data set, and nothing is
random: the paper grain and chalk texture come from an integer hash of the pixel position, so
the same script draws the same pixels on any machine (only the PNG compression may differ,
which is why --check compares pixels, not bytes).

The files:
  seven.png              dark pen on white paper, gray, 160x160
  seven.csv              the same strokes the way MNIST's images are: 785 integers (the label,
                         then 28x28 row-major), light ink on black, the ink fitted in a 20x20
                         box, its centre of mass at the centre of the 28x28 field
  three.png              blue ballpoint on white, colour, wider than tall
  two-light-on-dark.png  chalk on a slate board: light ink on a dark background
  four-photo.png         like a phone photo (320x240) of a note: off-white paper, uneven light, grain,
                         a tilted, off-centre digit and a little camera blur

Needs numpy and Pillow (`pip install numpy pillow`).
"""

import argparse
import math
import sys
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent

# Strokes in a unit box (x right, y down). A stroke is a list of pieces drawn in one go:
# two points are a line, four are a cubic Bezier curve; each piece starts where the last ended.
DIGITS = {
    7: [[((0.16, 0.16), (0.50, 0.13)), ((0.50, 0.13), (0.86, 0.10)),
         ((0.86, 0.10), (0.70, 0.34), (0.52, 0.60), (0.42, 0.92))]],
    3: [[((0.20, 0.20), (0.40, 0.02), (0.92, 0.08), (0.74, 0.34)),
         ((0.74, 0.34), (0.66, 0.45), (0.54, 0.48), (0.42, 0.48)),
         ((0.42, 0.48), (0.98, 0.46), (0.96, 0.98), (0.18, 0.86))]],
    2: [[((0.18, 0.30), (0.22, 0.02), (0.86, 0.02), (0.78, 0.36)),
         ((0.78, 0.36), (0.70, 0.58), (0.38, 0.74), (0.14, 0.92)),
         ((0.14, 0.92), (0.88, 0.90))]],
    4: [[((0.58, 0.06), (0.14, 0.64)), ((0.14, 0.64), (0.88, 0.62))],
        [((0.66, 0.30), (0.64, 0.96))]],
}


def piece_points(piece, steps=48):
    """The points along one piece: a line's two ends, or a Bezier curve sampled finely."""
    if len(piece) == 2:
        return np.array(piece, dtype=np.float64)
    p0, p1, p2, p3 = (np.array(p, dtype=np.float64) for p in piece)
    t = np.linspace(0.0, 1.0, steps)[:, None]
    return (1 - t) ** 3 * p0 + 3 * (1 - t) ** 2 * t * p1 + 3 * (1 - t) * t ** 2 * p2 + t ** 3 * p3


def polylines(digit):
    """Each stroke of `digit` as one polyline (an array of points) in the unit box."""
    return [np.concatenate([piece_points(piece) for piece in stroke]) for stroke in DIGITS[digit]]


def place(lines, scale, centre, angle=0.0):
    """The polylines scaled (unit box to pixels), turned by `angle` degrees about the unit box's
    centre, and moved so that centre lands on `centre` (x, y in pixels)."""
    a = math.radians(angle)
    turn = np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])
    return [((line - 0.5) @ turn) * scale + np.array(centre) for line in lines]


def coverage(lines, width, height, radius):
    """Ink 0..1 per pixel: 1 within `radius` of a stroke, fading to 0 over the next pixel."""
    ys, xs = np.mgrid[0:height, 0:width]
    px, py = xs + 0.5, ys + 0.5
    nearest = np.full((height, width), np.inf)
    for line in lines:
        for (ax, ay), (bx, by) in zip(line[:-1], line[1:]):
            dx, dy = bx - ax, by - ay
            length2 = dx * dx + dy * dy
            t = np.clip(((px - ax) * dx + (py - ay) * dy) / length2, 0, 1) if length2 > 0 else 0
            nearest = np.minimum(nearest, np.hypot(px - (ax + t * dx), py - (ay + t * dy)))
    return np.clip(radius + 0.5 - nearest, 0.0, 1.0)


def hash_noise(width, height, seed):
    """Deterministic noise in [0, 1) per pixel, from an integer hash of (x, y, seed)."""
    ys, xs = np.mgrid[0:height, 0:width].astype(np.uint32)
    h = xs * np.uint32(374761393) + ys * np.uint32(668265263) + np.uint32(seed * 2246822519 % 2**32)
    h = (h ^ (h >> np.uint32(13))) * np.uint32(1274126177)
    h = h ^ (h >> np.uint32(16))
    return (h & np.uint32(0xFFFF)).astype(np.float64) / 65536.0


def paint(paper, ink, amount):
    """Paper colour(s) with ink laid on in proportion to `amount` (0..1), as 8-bit pixels."""
    amount = amount[..., None] if np.ndim(paper) == 3 or np.ndim(ink) >= 1 else amount
    mixed = np.asarray(paper, dtype=np.float64) * (1 - amount) + np.asarray(ink, dtype=np.float64) * amount
    return np.clip(np.rint(mixed), 0, 255).astype(np.uint8)


def box_blur(pixels):
    """A 3x3 mean, edges repeated: a camera that is not quite in focus."""
    padded = np.pad(pixels.astype(np.float64), ((1, 1), (1, 1), (0, 0)), mode="edge")
    h, w = pixels.shape[:2]
    total = sum(padded[dy:dy + h, dx:dx + w] for dy in range(3) for dx in range(3))
    return np.clip(np.rint(total / 9), 0, 255).astype(np.uint8)


def seven_png():
    ink = coverage(place(polylines(7), 112, (80, 80)), 160, 160, radius=5.5)
    return paint(250.0, 25.0, ink)


def three_png():
    ink = coverage(place(polylines(3), 120, (100, 80), angle=-4), 200, 160, radius=4.0)
    return paint(np.full((160, 200, 3), 252.0), (28, 42, 120), ink)


def two_light_on_dark_png():
    ink = coverage(place(polylines(2), 120, (90, 92), angle=3), 180, 180, radius=6.0)
    chalk = ink * (0.7 + 0.3 * hash_noise(180, 180, seed=2))
    slate = np.stack([38.0, 48.0, 45.0]) + (hash_noise(180, 180, seed=3) * 6.0)[..., None]
    return paint(slate, (226, 230, 222), chalk)


def four_photo_png():
    width, height = 320, 240
    ys, xs = np.mgrid[0:height, 0:width]
    # Light from the upper left: the paper darkens by up to ~9 levels towards the far corner.
    shade = 1.0 - 0.04 * np.hypot((xs - 96) / width, (ys - 64) / height)
    grain = (hash_noise(width, height, seed=4) - 0.5) * 6.0
    paper = np.stack([232.0, 226.0, 214.0]) * shade[..., None] + grain[..., None]
    ink = coverage(place(polylines(4), 120, (144, 112), angle=7), width, height, radius=5.2)
    ink = ink * (0.85 + 0.15 * hash_noise(width, height, seed=5))
    return box_blur(paint(paper, (52, 58, 96), ink))


def mnist_pixels(digit, radius=1.2, box=20.0, side=28):
    """The 784 intensities of `digit` the way MNIST's images are: light ink on black, the ink
    (every pixel it touches, pen and fringe) inside a box x box square, and its centre of
    mass on the centre of the side x side field (moved by fractions of a pixel until it is)."""
    lines = polylines(digit)
    points = np.concatenate(lines)
    extent = (points.max(axis=0) - points.min(axis=0)).max()
    # The ink reaches radius + 0.5 beyond the strokes; one pixel is kept for a span that does
    # not start on a pixel boundary, so the pixels touched stay within `box`.
    scale = (box - 1 - 2 * (radius + 0.5)) / extent
    middle = (points.max(axis=0) + points.min(axis=0)) / 2
    centre = np.array([side / 2, side / 2])
    for _ in range(6):
        placed = [(line - middle) * scale + centre for line in lines]
        ink = coverage(placed, side, side, radius)
        ys, xs = np.mgrid[0:side, 0:side]
        mass = np.array([(ink * (xs + 0.5)).sum(), (ink * (ys + 0.5)).sum()]) / ink.sum()
        centre = centre + (side / 2 - mass)
    return np.rint(ink * 255).astype(np.uint8)


def seven_csv():
    return "7," + ",".join(str(v) for v in mnist_pixels(7).ravel()) + "\n"


SAMPLES = {
    "seven.png": seven_png,
    "seven.csv": seven_csv,
    "three.png": three_png,
    "two-light-on-dark.png": two_light_on_dark_png,
    "four-photo.png": four_photo_png,
}


def write(name, drawing):
    if name.endswith(".csv"):
        (HERE / name).write_text(drawing)
    else:
        Image.fromarray(drawing).save(HERE / name, optimize=True)


def differs(name, drawing):
    """Why the committed file is not this drawing, or None when it is."""
    path = HERE / name
    if not path.exists():
        return "missing"
    if name.endswith(".csv"):
        return None if path.read_text() == drawing else "different values"
    with Image.open(path) as image:
        stored = np.asarray(image)
    return None if stored.shape == drawing.shape and (stored == drawing).all() else "different pixels"


def main():
    parser = argparse.ArgumentParser(description="Draw the sample digits of Resources/samples.")
    parser.add_argument("--check", action="store_true", help="compare the files here with a fresh drawing instead of writing")
    args = parser.parse_args()
    failed = False
    for name, draw in SAMPLES.items():
        drawing = draw()
        if not args.check:
            write(name, drawing)
            print(f"wrote {HERE / name}")
        elif (problem := differs(name, drawing)) is not None:
            print(f"{HERE / name}: {problem} from what make_samples.py draws", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
