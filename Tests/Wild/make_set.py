#!/usr/bin/env python3
"""Builds the out-of-MNIST evaluation set: digits that are not MNIST's, as people send them.

    python3 Tests/Wild/make_set.py --out DIR [--per-source N] [--seed S] [--slice K]

Why: MNIST's test set says how well the network reads MNIST. Preprocessing and training choices
for real photos, scans and drawings need digits from elsewhere. This script makes them from what
Debian packages ship (typefaces, Hershey stroke fonts; see requirements.txt) and from pen strokes
it defines itself, never from MNIST nor from scikit-learn's load_digits (kept for independent
measurement). Five sources: font-print, font-hand, hershey-script, hershey-simplex, drawn.

Each digit (id) becomes one image file (PNG or JPEG of some size, ground, lighting, encoding)
and one line of DIR/csv/SOURCE.csv (label + 784 values, normalised the MNIST way from the same
clean ink), so a reader's PNG path and its CSV path can be compared digit by digit.
DIR/manifest.csv lists both; DIR/nondigits/ holds ~30 pictures that are no digit.
Deterministic: each digit draws from numpy Generators seeded by (seed, source, writer/digit),
so the same seed and the same Pillow/numpy give the same bytes; --slice K keeps every K-th
writer (all ten digits of each) for a quick CI run.
"""
import argparse
import csv
import math
import os
import sys
import time

try:
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter
except ImportError as error:
    sys.exit(f"make_set.py: {error.name} is missing: pip install numpy pillow (see Tests/Wild/requirements.txt)")

import imagefiles as enc  # noqa: E402  (this folder's imagefiles.py)
import glyphs             # noqa: E402

TT, OT = "/usr/share/fonts/truetype", "/usr/share/fonts/opentype"
PRINT_FONTS = {
    "fonts-dejavu-core": [f"{TT}/dejavu/DejaVu{n}.ttf" for n in ("Sans", "Sans-Bold", "Serif", "SansMono")],
    "fonts-liberation": [f"{TT}/liberation/Liberation{n}.ttf" for n in
                         ("Sans-Regular", "Serif-Regular", "Serif-Italic", "Mono-Regular", "SansNarrow-Bold")],
    "fonts-freefont-ttf": [f"{TT}/freefont/Free{n}.ttf" for n in ("Sans", "Serif", "SerifBoldItalic", "Mono")],
    "fonts-urw-base35": [f"{OT}/urw-base35/{n}.otf" for n in
                         ("NimbusSans-Regular", "NimbusRoman-Regular", "C059-Roman", "P052-Italic",
                          "URWBookman-Light", "URWGothic-Book", "NimbusMonoPS-Regular")],
}
HAND_FONTS = {
    "fonts-bwht": [f"{OT}/bwht/BecauseWe{n}-Regular.otf" for n in
                   ("Build", "Connect", "Create", "Learn", "Mentor", "Organize")],
    "fonts-dkg-handwriting": [f"{TT}/fifthhorseman/dkg{n}.ttf" for n in ("", "Bd", "It", "BI")],
    "fonts-humor-sans": [f"{TT}/humor-sans/Humor-Sans.ttf"],
    "fonts-kristi": [f"{TT}/kristi/Kristi.ttf"],
    "fonts-breip": [f"{TT}/breip/Breip.ttf"],
    "fonts-dancingscript": [f"{OT}/dancingscript/DancingScript-{n}.otf" for n in ("Regular", "Bold")],
    "fonts-comic-neue": [f"{OT}/comic-neue/ComicNeue-{n}.otf" for n in ("Regular", "Italic", "Bold")],
    "fonts-rufscript": [f"{TT}/rufscript/Rufscript010.ttf"],
    "fonts-klee": [f"{TT}/klee/KleeOne-Regular.ttf"],
}
HERSHEY = {"hershey-script": ["scripts"], "hershey-simplex": ["futural", "rowmans", "cursive"]}
SOURCES = ["font-print", "font-hand", "hershey-script", "hershey-simplex", "drawn"]

ENCODING_WEIGHTS = {"png-L": 12, "png-LA": 6, "png-RGB": 10, "png-RGBA": 6, "png-P": 6, "png-I16": 5,
                    "png-1bit": 3, "png-L-interlaced": 5, "png-RGB-interlaced": 4, "jpeg-baseline": 13,
                    "jpeg-progressive": 8, "jpeg-grey": 8, "jpeg-exif3": 5, "jpeg-exif6": 5, "jpeg-exif8": 5}
LIGHT_INKS = [(0, 0, 0), (25, 35, 130), (20, 60, 40), (150, 20, 20)]          # black/pencil, blue, green, red
DARK_INKS = [(250, 250, 250), (240, 230, 150), (160, 230, 255)]                 # chalk, yellow, cyan


def check_requirements():
    """Stop with one clear line if a font or the Hershey data is not installed."""
    for package, paths in list(PRINT_FONTS.items()) + list(HAND_FONTS.items()):
        for path in paths:
            if not os.path.exists(path):
                sys.exit(f"make_set.py: {path} is missing: apt-get install {package} (see Tests/Wild/requirements.txt)")
    if not os.path.exists(f"{glyphs.HERSHEY_DIR}/scripts.jhf"):
        sys.exit("make_set.py: Hershey fonts are missing: apt-get install hershey-fonts-data (see Tests/Wild/requirements.txt)")


def flat(fonts):
    return [p for paths in fonts.values() for p in paths]


def digit_mask(source, writer_index, label, seed, si, k):
    """The clean ink of digit `label` written by writer `writer_index` of `source`."""
    wrng = np.random.default_rng([seed, si, writer_index])
    rng = np.random.default_rng([seed, si, k, 1])
    if source in ("font-print", "font-hand"):
        fonts = flat(PRINT_FONTS if source == "font-print" else HAND_FONTS)
        path = fonts[writer_index % len(fonts)]
        return glyphs.font_mask(path, str(label), rng, wild=0.0 if source == "font-print" else 0.6), os.path.basename(path)
    writer = glyphs.Writer(wrng, neat=source.startswith("hershey"))
    if source == "drawn":
        strokes, name = glyphs.drawn_strokes(label, writer, rng), "drawn"
    else:
        name = HERSHEY[source][writer_index % len(HERSHEY[source])]
        strokes = glyphs.hershey_strokes(name, label)
    return glyphs.render_strokes(writer.transform(strokes, rng), writer.pen, rng), name


def resize(mask, w, h):
    """The mask resampled to w x h: area-averaged when shrinking, bicubic when enlarging."""
    img = Image.fromarray(mask.astype(np.float32), "F")
    method = Image.BOX if w < mask.shape[1] else Image.BICUBIC
    return np.clip(np.asarray(img.resize((max(1, w), max(1, h)), method)), 0, 1)


def paste(canvas, mask, x, y):
    """Add `mask` into `canvas` with its top-left at (x, y), clipped at the borders."""
    h, w = mask.shape
    H, W = canvas.shape
    x0, y0, x1, y1 = max(0, x), max(0, y), min(W, x + w), min(H, y + h)
    if x1 > x0 and y1 > y0:
        canvas[y0:y1, x0:x1] = np.maximum(canvas[y0:y1, x0:x1], mask[y0 - y:y1 - y, x0 - x:x1 - x])


def compose(mask, rng, encoding, neighbour=None, ground=None, rule=None):
    """A photo/scan/drawing of the ink: size, framing, paper, lighting, lines, blur, noise.
    Returns (rgb float HxWx3 0..255, alpha 0..1 or None, variant dict)."""
    v = {}
    r = rng.random()
    S = 28 if r < 0.2 else int(rng.integers(32, 72) if r < 0.4 else rng.integers(72, 180) if r < 0.7 else rng.integers(180, 401))
    H, W = S, (S if S == 28 or rng.random() < 0.6 else int(np.clip(S * rng.uniform(0.7, 1.4), 28, 420)))
    v["size"] = f"{W}x{H}"
    # How much of the frame the digit fills; never under 14 px, where a person could not read it.
    fills = {"tight": (0.85, 1.0), "medium": (0.55, 0.85), "small": (0.28, 0.5) if S >= 48 else (0.5, 0.6)}
    v["fill"] = str(rng.choice(list(fills), p=[0.4, 0.5, 0.1] if S < 48 else [0.25, 0.45, 0.3]))
    dh = min(H, max(14, rng.uniform(*fills[v["fill"]]) * H))
    dw = dh * mask.shape[1] / mask.shape[0]
    if dw > 0.95 * W:
        dh, dw = dh * 0.95 * W / dw, 0.95 * W
    dw, dh = max(1, int(round(dw))), max(1, int(round(dh)))
    v["place"] = "centred" if rng.random() < 0.6 else "offcentre"
    if v["place"] == "centred":
        x = int(np.clip(round((W - dw) / 2 + rng.normal(0, 0.03 * W)), 0, W - dw))
        y = int(np.clip(round((H - dh) / 2 + rng.normal(0, 0.03 * H)), 0, H - dh))
    else:
        x, y = int(rng.integers(0, W - dw + 1)), int(rng.integers(0, H - dh + 1))
    ink = np.zeros((H, W), np.float32)
    paste(ink, resize(mask, dw, dh), x, y)

    if encoding in enc.ALPHA_ENCODINGS:     # a drawing app's export: ink on a transparent layer
        v["ground"] = "transparent"
        colour = np.array(DARK_INKS[0] if rng.random() < 0.3 else LIGHT_INKS[int(rng.integers(0, 3))], np.float32)
        behind = "ink" if rng.random() < 0.5 else "black"   # what the invisible pixels hold
        v["behind"] = behind
        rgb = np.broadcast_to(colour, (H, W, 3)) * (1 if behind == "ink" else ink[..., None])
        return np.array(rgb, np.float32), ink, v

    v["ground"] = ground or ("dark" if rng.random() < 0.35 else "light")
    colourful = encoding not in enc.GREY_ENCODINGS and rng.random() < 0.75
    v["colour"] = "colour" if colourful else "grey"
    cast = rng.normal(0, 0.05, 3) + np.array([0.03, 0.0, -0.04]) * rng.uniform(-1, 2) if colourful else np.zeros(3)
    # Ink and paper differ in brightness by at least 70 levels (pencil on grey paper) and up to
    # all of it (black marker on white); the ink keeps its hue (blue biro, green, red, chalk).
    lum = np.array([0.299, 0.587, 0.114])
    if v["ground"] == "light":
        paper = rng.uniform(175, 250) * (1 + cast)
        target = paper @ lum - rng.uniform(70, paper @ lum - 5)
        inks = LIGHT_INKS if colourful else LIGHT_INKS[:1]
    else:
        paper = rng.uniform(0, 60) * (1 + cast) + (np.array([0, 12, 6]) if colourful else 0)
        target = paper @ lum + rng.uniform(90, 250 - paper @ lum)
        inks = DARK_INKS if colourful else DARK_INKS[:1]
    base = np.array(inks[int(rng.integers(0, len(inks)))], np.float64)
    colour = np.clip(base + target - base @ lum, 0, 255)
    img = np.broadcast_to(paper.astype(np.float32), (H, W, 3)).copy()
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)

    v["rule"] = rule or str(rng.choice(["none", "ruled", "squared"], p=[0.7, 0.2, 0.1]) if S >= 48 else "none")
    if v["rule"] != "none":                 # exercise-book lines, under and through the digit
        gap = rng.uniform(0.25, 0.6) * (dh if dh > 8 else H / 3)
        thick, strength = max(1.0, S / 150), rng.uniform(0.25, 0.6)
        line_colour = np.array([150, 170, 225] if colourful else [150, 150, 150], np.float32)
        def lines(coord):
            """Coverage of lines every `gap` pixels along `coord`, antialiased."""
            dist = np.abs((coord - rng.uniform(0, gap) + gap / 2) % gap - gap / 2)
            return np.clip(thick / 2 + 0.5 - dist, 0, 1)
        cover = lines(yy)
        if v["rule"] == "squared":
            cover = np.maximum(cover, lines(xx))
        if v["ground"] == "dark":
            line_colour = paper + 40
        img += (line_colour - img) * (strength * cover)[..., None]

    if neighbour is not None and S >= 48:   # a sliver of the next digit, cut by the frame
        nw = max(1, int(round(dh * neighbour.shape[1] / neighbour.shape[0])))
        show = int(round(nw * rng.uniform(0.12, 0.3)))
        left = rng.random() < 0.5
        margin = x if left else W - (x + dw)
        if margin > show + max(4, dh / 4):      # clearly apart, and cut by the frame
            paste(ink, resize(neighbour, nw, dh), show - nw if left else W - show, y + int(rng.integers(-dh // 8, dh // 8 + 1)))
            v["neighbour"] = "left" if left else "right"
    img += (colour.astype(np.float32) - img) * ink[..., None]

    if S >= 48 and rng.random() < 0.12:     # the page ends and the table shows at one side
        side = str(rng.choice(["left", "right", "top", "bottom"]))
        along, across, room = (yy, xx, x) if side in ("left", "right") else (xx, yy, y)
        room = room if side in ("left", "top") else (W - x - dw if side == "right" else H - y - dh)
        band = rng.uniform(0.02, 0.08) * S
        if room > band + 2:
            edge = band + rng.uniform(-0.03, 0.03) * (along - along.mean())
            dist = across if side in ("left", "top") else (W if side == "right" else H) - 1 - across
            cover = np.clip(edge - dist + 0.5, 0, 1)
            table = np.array([70, 50, 35] if v["ground"] == "light" else [140, 135, 125], np.float32) * rng.uniform(0.6, 1.2)
            img += (table - img) * cover[..., None]
            v["edge"] = side

    light = np.ones((H, W), np.float32)
    scanned = encoding == "png-1bit"         # a scanner's black-and-white mode: even light
    if rng.random() < 0.7 and not scanned:  # a phone photo: light falls off across the page
        a = rng.uniform(0, 2 * math.pi)
        t = (xx * math.cos(a) + yy * math.sin(a))
        light *= 1 - rng.uniform(0.05, 0.4) * (t - t.min()) / max(1e-6, np.ptp(t))
        v["light"] = "gradient"
    if rng.random() < 0.35 and not scanned:
        rr = ((xx - W / 2) ** 2 + (yy - H / 2) ** 2) / ((W / 2) ** 2 + (H / 2) ** 2)
        light *= 1 - rng.uniform(0.05, 0.3) * rr
        v["vignette"] = "yes"
    img *= light[..., None]
    if rng.random() < 0.45:
        radius = rng.uniform(0.3, 0.9) * S / 100 if S >= 64 else rng.uniform(0.2, 0.5)
        blurred = Image.fromarray(np.clip(np.rint(img), 0, 255).astype(np.uint8), "RGB").filter(ImageFilter.GaussianBlur(radius))
        img = np.asarray(blurred, np.float32).copy()
        v["blur"] = f"{radius:.2f}"
    if rng.random() < 0.6:
        sigma = rng.uniform(1.5, 8)
        img += rng.normal(0, sigma, (H, W, 1)).astype(np.float32) + rng.normal(0, sigma / 4, (H, W, 3)).astype(np.float32)
        v["noise"] = f"{sigma:.1f}"
    return np.clip(img, 0, 255), None, v


def variant_text(v):
    return ";".join(f"{k}={val}" for k, val in v.items())


def make_digits(out, per_source, seed, slice_k):
    """All sources' digits: image files, CSV lines and manifest rows."""
    rows = []
    names = list(ENCODING_WEIGHTS)
    weights = np.array(list(ENCODING_WEIGHTS.values()), np.float64)
    os.makedirs(f"{out}/csv", exist_ok=True)
    for si, source in enumerate(SOURCES):
        os.makedirs(f"{out}/{source}", exist_ok=True)
        csv_path = f"csv/{source}.csv"
        lines = []
        for k in range(per_source):
            writer, label = k // 10, k % 10
            if writer % slice_k:
                continue
            mask, style = digit_mask(source, writer, label, seed, si, k)
            rng = np.random.default_rng([seed, si, k, 2])
            encoding = str(rng.choice(names, p=weights / weights.sum()))
            other = int(rng.choice([d for d in range(10) if d not in (1, label)]))   # a 1's sliver is a whole 1
            neighbour, _ = digit_mask(source, writer, other, seed, si, k + 100000) if rng.random() < 0.3 else (None, None)
            rgb, alpha, v = compose(mask, rng, encoding, neighbour)
            v = {"style": style, **v}
            ident = f"{source}-{k:04d}"
            ext = "jpg" if encoding.startswith("jpeg") else "png"
            name = f"{source}/{ident}.{ext}"
            enc.save(f"{out}/{name}", encoding, rgb, alpha, quality=int(rng.integers(55, 96)))
            lines.append(enc.csv_line(label, mask))
            rows.append([ident, name, "", label, source, encoding, variant_text(v)])
            rows.append([ident, csv_path, len(lines), label, source, "csv", f"style={style};size=28x28;ground=dark"])
        with open(f"{out}/{csv_path}", "w") as f:
            f.write("\n".join(lines) + "\n")
    return rows


def face_mask(rng):
    """A round face with two eyes and a smile: closed loops like a 0, but no digit."""
    img = Image.new("L", (160, 160), 0)
    d = ImageDraw.Draw(img)
    w = int(rng.integers(5, 12))
    d.ellipse([10, 10, 150, 150], outline=255, width=w)
    for ex in (55, 105):
        d.ellipse([ex - 8, 55, ex + 8, 71], fill=255)
    d.arc([45, 60, 115, 120], 20, 160, fill=255, width=w)
    return np.asarray(img, np.float32) / 255


def make_nondigits(out, seed):
    """~30 pictures that are not digits, for the reader's 'not a digit' answer."""
    os.makedirs(f"{out}/nondigits", exist_ok=True)
    rng = np.random.default_rng([seed, 999])
    blank = np.zeros((20, 20), np.float32)
    items = [("blank-paper", blank, "png-RGB", "light", None)] * 4 + [("blank-dark", blank, "png-L", "dark", None)] * 3
    items += [("squared-paper", blank, "png-RGB", "light", "squared")] * 2
    fonts = [flat(PRINT_FONTS)[0], flat(HAND_FONTS)[0]]
    for letter in "ABKMWX":
        for path in fonts:
            items.append((f"letter-{letter}", glyphs.font_mask(path, letter, rng, 0.3), "png-L", None, None))
    items += [("face", face_mask(rng), "png-RGB", None, None)] * 3
    rows = []
    for i, (kind, mask, encoding, ground, rule) in enumerate(items):
        rgb, _, v = compose(mask, rng, encoding, ground=ground, rule=rule)
        if kind.startswith("blank") and v.get("light") is None:      # uneven light is the point
            yy = np.linspace(0.7, 1.0, rgb.shape[0], dtype=np.float32)[:, None, None]
            rgb = rgb * yy
        name = f"nondigits/{i:02d}-{kind}.png"
        enc.save(f"{out}/{name}", encoding, rgb)
        rows.append([name, kind, variant_text(v)])
    for i, size in enumerate((28, 100, 240)):
        noise = rng.integers(0, 256, (size, size), dtype=np.uint8)
        Image.fromarray(noise, "L").save(f"{out}/nondigits/{len(rows):02d}-noise.png")
        rows.append([f"nondigits/{len(rows):02d}-noise.png", "noise", f"size={size}x{size}"])
        ramp = np.linspace(0, 255, size, dtype=np.float32)
        grad = np.rint(np.add.outer(ramp, ramp) / 2).astype(np.uint8) if i != 1 else np.tile(np.rint(ramp).astype(np.uint8), (size, 1))
        Image.fromarray(grad, "L").save(f"{out}/nondigits/{len(rows):02d}-gradient.png")
        rows.append([f"nondigits/{len(rows):02d}-gradient.png", "gradient", f"size={size}x{size}"])
    with open(f"{out}/nondigits/manifest.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "kind", "variant"])
        w.writerows([[r[0].split("/", 1)[1], r[1], r[2]] for r in rows])
    return len(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="folder to write the set into")
    ap.add_argument("--per-source", type=int, default=250, help="digits per source (ten per writer/font)")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--slice", type=int, default=1, help="keep every K-th writer only (CI)")
    args = ap.parse_args()
    check_requirements()
    start = time.time()
    os.makedirs(args.out, exist_ok=True)
    rows = make_digits(args.out, args.per_source, args.seed, max(1, args.slice))
    with open(f"{args.out}/manifest.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "file", "line", "label", "source", "encoding", "variant"])
        w.writerows(rows)
    nondigits = make_nondigits(args.out, args.seed)
    ids = {r[0] for r in rows}
    print(f"{len(ids)} digits ({len(rows)} manifest rows), {nondigits} non-digits in {args.out} "
          f"({time.time() - start:.1f} s)")


if __name__ == "__main__":
    main()
