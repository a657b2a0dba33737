"""Ink masks of digits: from typefaces, from Hershey stroke fonts, and from pen strokes defined here.

Every function returns a float32 array (rows x columns) of ink coverage 0..1, tightly cropped,
with the digit upright and about `GLYPH_PX` pixels tall. The photo effects (paper, light, noise)
are added later by make_set.py; the MNIST-style CSV line is made from these clean masks.
Only Pillow and numpy are used; all randomness comes from the numpy Generator passed in.
"""
import math

import numpy as np
from PIL import Image, ImageDraw, ImageFont

GLYPH_PX = 160      # height of the clean mask: large enough for the 400 px photos
SUPERSAMPLE = 3     # pen strokes are drawn this many times larger, then box-averaged

HERSHEY_DIR = "/usr/share/hershey-fonts"


# ---------------------------------------------------------------------------------------------
# Pen strokes: digits as a person writes them, a few styles each (why: MNIST's writers wrote
# 1 with and without a flag, 4 open and closed, 7 with and without a bar; a reader must cope).
# Coordinates: x 0..0.6, y 0..1 (top down). ("c", pts) is a smooth curve through the points,
# ("l", pts) a polyline with corners.
DRAWN = {
    0: [[("c", [(.30, 0), (.08, .15), (0, .5), (.1, .88), (.3, 1), (.52, .86), (.6, .5), (.5, .12), (.3, 0), (.18, .06)])],
        [("c", [(.32, .02), (.52, .14), (.58, .5), (.48, .9), (.28, 1), (.06, .85), (.02, .45), (.14, .08), (.36, .0)])]],
    1: [[("l", [(.32, 0), (.30, 1)])],
        [("l", [(.12, .22), (.32, 0), (.30, 1)])],
        [("l", [(.12, .22), (.32, 0), (.30, 1)]), ("l", [(.1, 1), (.5, 1)])]],
    2: [[("c", [(.04, .22), (.15, .04), (.34, 0), (.52, .1), (.54, .3), (.4, .55), (0, 1)]), ("l", [(0, 1), (.6, .98)])],
        [("c", [(.04, .22), (.15, .04), (.34, 0), (.52, .1), (.54, .3), (.4, .55), (0, 1)]),
         ("c", [(0, 1), (.2, .93), (.4, .99), (.6, .95)])]],
    3: [[("c", [(.05, .12), (.25, 0), (.48, .06), (.52, .25), (.25, .47)]),
         ("c", [(.25, .47), (.5, .56), (.58, .78), (.45, .96), (.22, 1), (.02, .88)])],
        [("l", [(.05, 0), (.55, 0), (.22, .4)]), ("c", [(.22, .4), (.5, .5), (.6, .72), (.45, .95), (.2, 1), (.02, .88)])]],
    4: [[("l", [(.45, 0), (0, .68), (.6, .68)]), ("l", [(.45, 0), (.45, 1)])],
        [("l", [(.1, 0), (.04, .62), (.6, .62)]), ("l", [(.44, .22), (.44, 1)])]],
    5: [[("l", [(.12, 0), (.08, .45)]), ("c", [(.08, .45), (.3, .37), (.52, .46), (.6, .7), (.48, .93), (.26, 1), (.02, .9)]),
         ("l", [(.12, 0), (.56, 0)])],
        [("l", [(.56, 0), (.12, 0), (.08, .45)]), ("c", [(.08, .45), (.3, .37), (.52, .46), (.6, .7), (.48, .93), (.26, 1), (.02, .9)])]],
    6: [[("c", [(.5, .02), (.3, .1), (.1, .35), (.02, .65), (.12, .93), (.32, 1), (.52, .9), (.58, .7), (.45, .52), (.25, .52), (.06, .66)])],
        [("c", [(.45, 0), (.2, .3), (.05, .6), (.08, .9), (.3, 1), (.52, .9), (.56, .72), (.4, .58), (.2, .6), (.07, .72)])]],
    7: [[("l", [(.02, .02), (.6, 0), (.2, 1)])],
        [("l", [(.02, .02), (.6, 0), (.2, 1)]), ("l", [(.2, .52), (.52, .5)])],
        [("l", [(.02, .02), (.6, 0)]), ("c", [(.6, 0), (.42, .35), (.3, .7), (.27, 1)])]],
    8: [[("c", [(.3, .46), (.1, .35), (.08, .14), (.3, 0), (.5, .14), (.48, .34), (.3, .46)]),
         ("c", [(.3, .46), (.55, .6), (.6, .8), (.42, .98), (.18, .98), (.02, .8), (.08, .6), (.3, .46)])],
        [("c", [(.52, .1), (.3, 0), (.1, .1), (.12, .3), (.3, .46), (.55, .65), (.52, .92), (.3, 1), (.06, .9), (.05, .68),
                (.3, .46), (.48, .3), (.52, .1)])]],
    9: [[("c", [(.55, .2), (.4, .02), (.18, .02), (.02, .2), (.08, .4), (.3, .46), (.52, .36), (.56, .15)]), ("l", [(.56, .1), (.52, 1)])],
        [("c", [(.55, .2), (.4, .02), (.18, .02), (.02, .2), (.08, .4), (.3, .46), (.52, .36), (.56, .15)]),
         ("c", [(.56, .15), (.55, .5), (.45, .8), (.3, .98), (.1, .95)])]],
}


def catmull_rom(points, per_segment=12):
    """A smooth curve through `points` (why: hand-drawn strokes have no corners where none is meant)."""
    p = np.asarray(points, dtype=np.float64)
    p = np.vstack([2 * p[0] - p[1], p, 2 * p[-1] - p[-2]])
    t = np.linspace(0, 1, per_segment, endpoint=False)[:, None]
    out = []
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        out.append(0.5 * (2 * p1 + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t ** 2
                          + (-p0 + 3 * p1 - 3 * p2 + p3) * t ** 3))
    out.append(p[-2][None])
    return np.vstack(out)


def densify(poly, step=0.01):
    """Points along a polyline no further apart than `step`, so a smooth warp bends straight lines."""
    poly = np.asarray(poly, dtype=np.float64)
    out = [poly[:1]]
    for a, b in zip(poly[:-1], poly[1:]):
        n = max(1, int(math.ceil(np.linalg.norm(b - a) / step)))
        out.append(a + (b - a) * np.linspace(0, 1, n + 1)[1:, None])
    return np.vstack(out)


class Writer:
    """One person's hand: slant, width, size and wobble shared by all ten digits they write."""

    def __init__(self, rng, neat=False):
        self.slant = rng.uniform(-0.12, 0.4) * (0.5 if neat else 1)
        self.aspect = rng.uniform(0.65, 1.3)
        self.rotate = rng.uniform(-9, 9) * (0.5 if neat else 1)
        self.pen = rng.uniform(0.045, 0.14)             # pen width as a share of digit height
        self.wobble = rng.uniform(0.004, 0.015)         # low-frequency shake of the hand
        self.jitter = rng.uniform(0.02, 0.05) * (0.5 if neat else 1)
        self.top_heavy = rng.uniform(0.8, 1.25) ** (0.5 if neat else 1)   # y -> y**this: big or small upper loops
        self.style = int(rng.integers(0, 6))            # picks the 1/4/7/9 variants

    def transform(self, strokes, rng):
        """Apply this writer's shape to strokes (lists of points), with a little per-digit noise."""
        phase = rng.uniform(0, 2 * math.pi, 4)
        freq = rng.uniform(1, 3, 2)
        a = math.radians(self.rotate + rng.normal(0, 2))
        out = []
        for s in strokes:
            p = densify(s).copy()
            p[:, 1] = np.clip(p[:, 1], 0, None) ** self.top_heavy
            p[:, 0] += self.wobble * np.sin(freq[0] * 2 * math.pi * p[:, 1] + phase[0])
            p[:, 1] += self.wobble * np.sin(freq[1] * 2 * math.pi * p[:, 0] + phase[1])
            p[:, 0] = (p[:, 0] + (self.slant + rng.normal(0, 0.03)) * (1 - p[:, 1])) * self.aspect
            c, s_ = math.cos(a), math.sin(a)
            out.append(np.column_stack([c * p[:, 0] - s_ * p[:, 1], s_ * p[:, 0] + c * p[:, 1]]))
        return out


def drawn_strokes(label, writer, rng):
    """The strokes of `label` in the writer's preferred style, control points jittered."""
    styles = DRAWN[label]
    style = styles[(writer.style + (rng.random() < 0.15)) % len(styles)]
    strokes = []
    for kind, pts in style:
        pts = np.asarray(pts) + rng.normal(0, writer.jitter, (len(pts), 2))
        strokes.append(catmull_rom(pts) if kind == "c" else pts)
    return strokes


def render_strokes(strokes, pen, rng, height=GLYPH_PX):
    """Strokes drawn with a round pen whose width varies a little (pressure), antialiased."""
    allp = np.vstack(strokes)
    lo, hi = allp.min(0), allp.max(0)
    extent = max(hi[1] - lo[1], 1e-6)
    scale = height * SUPERSAMPLE / extent
    width_px = max(1.0, pen * height * SUPERSAMPLE)
    pad = width_px
    size = ((hi - lo) * scale + 2 * pad + 2).astype(int)
    img = Image.new("L", (int(size[0]), int(size[1])), 0)
    draw = ImageDraw.Draw(img)
    for s in strokes:
        p = (s - lo) * scale + pad
        pressure = 1 + 0.2 * np.sin(np.linspace(0, rng.uniform(1, 4), len(p)) + rng.uniform(0, 6))
        for i in range(len(p)):
            r = width_px * pressure[i] / 2
            x, y = p[i]
            draw.ellipse([x - r, y - r, x + r, y + r], fill=255)
            if i:
                draw.line([tuple(p[i - 1]), (x, y)], fill=255, width=max(1, int(round(2 * r))))
    w, h = img.size
    img = img.crop((0, 0, w - w % SUPERSAMPLE, h - h % SUPERSAMPLE)).reduce(SUPERSAMPLE)
    return crop(np.asarray(img, dtype=np.float32) / 255)


# ---------------------------------------------------------------------------------------------
# Hershey fonts (hershey-fonts-data): single-stroke vector glyphs, one glyph per line in ASCII
# order from space (32). Each pair of characters is a coordinate, offset by ord('R'); " R" lifts
# the pen. Drawn with the Writer's pen and warp, they stand for writers with a school hand.

def hershey_strokes(font, label):
    """The pen strokes of digit `label` in Hershey font `font` (e.g. "scripts"), unit height."""
    with open(f"{HERSHEY_DIR}/{font}.jhf", encoding="latin-1") as f:
        line = f.read().splitlines()[ord(str(label)) - 32]
    count, body = int(line[5:8]), line[8:]
    strokes, cur = [], []
    for i in range(1, count):
        a, b = body[2 * i], body[2 * i + 1]
        if a == " " and b == "R":
            strokes.append(cur)
            cur = []
        else:
            cur.append((ord(a) - 82, ord(b) - 82))
    strokes.append(cur)
    strokes = [np.asarray(s, dtype=np.float64) for s in strokes if len(s) > 1]
    allp = np.vstack(strokes)
    lo, extent = allp.min(0), np.ptp(allp[:, 1])
    return [(s - lo) / extent for s in strokes]


# ---------------------------------------------------------------------------------------------
# Typefaces: a glyph rendered by FreeType, then slanted/rotated/stretched a little as when a
# printed page is photographed askew (print) or as the font's "writer" varies (handwriting).

def font_mask(path, char, rng, wild=0.0):
    """The glyph `char` of the font at `path`; `wild` (0..1) scales the geometric variation."""
    font = ImageFont.truetype(path, int(GLYPH_PX * 1.4))
    left, top, right, bottom = font.getbbox(char)
    pad = GLYPH_PX // 2
    img = Image.new("L", (right - left + 2 * pad, bottom - top + 2 * pad), 0)
    ImageDraw.Draw(img).text((pad - left, pad - top), char, font=font, fill=255)
    shear = rng.uniform(-0.05, 0.05) + wild * rng.uniform(-0.1, 0.25)
    angle = math.radians(rng.uniform(-3, 3) * (1 + 2 * wild))
    aspect = 1 + rng.uniform(-0.08, 0.08) * (1 + 2 * wild)
    w, h = img.size
    c, s = math.cos(angle), math.sin(angle)
    # Inverse affine (output -> input) about the centre: rotation, shear, horizontal stretch.
    m = np.array([[c / aspect, -s / aspect], [s, c]]) @ np.array([[1, shear], [0, 1]])
    cx, cy = w / 2, h / 2
    off = np.array([cx, cy]) - m @ np.array([cx, cy])
    img = img.transform(img.size, Image.AFFINE, (m[0, 0], m[0, 1], off[0], m[1, 0], m[1, 1], off[1]),
                        resample=Image.BICUBIC)
    mask = crop(np.asarray(img, dtype=np.float32) / 255)
    return mask


def crop(mask, level=0.02):
    """The mask cut to its ink (values above `level`), with one empty pixel around it."""
    ys, xs = np.nonzero(mask > level)
    if len(ys) == 0:
        return mask
    out = mask[max(0, ys.min() - 1): ys.max() + 2, max(0, xs.min() - 1): xs.max() + 2]
    return np.clip(out, 0, 1)
