"""Image files for the wild set, and MNIST's normalisation for its CSV lines.

Why so many encodings: a person's digit arrives as whatever their phone, scanner or drawing app
wrote. Each encoding here is one a reader must decode to the same digit: PNG of every colour type
and bit depth (and Adam7 interlacing, which Pillow cannot write, so it is encoded here by hand),
JPEG baseline/progressive/greyscale, and JPEG whose pixels are stored rotated with an EXIF
Orientation tag that turns them upright.
"""
import struct
import zlib

import numpy as np
from PIL import Image

PNG_ENCODINGS = ["png-L", "png-LA", "png-RGB", "png-RGBA", "png-P", "png-I16", "png-1bit",
                 "png-L-interlaced", "png-RGB-interlaced"]
JPEG_ENCODINGS = ["jpeg-baseline", "jpeg-progressive", "jpeg-grey", "jpeg-exif3", "jpeg-exif6", "jpeg-exif8"]
GREY_ENCODINGS = {"png-L", "png-I16", "png-1bit", "png-L-interlaced", "jpeg-grey"}
ALPHA_ENCODINGS = {"png-LA", "png-RGBA"}

# EXIF orientation -> how the upright picture is stored so that honouring the tag restores it
# (Pillow's ImageOps.exif_transpose undoes exactly these).
STORED_ROTATION = {3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}


def mnist_normalise(ink):
    """28x28 uint8 in MNIST's convention from an ink mask (0..1, ink high, any size).

    As MNIST was made: faint ink under a tenth of the peak is dropped, the ink's bounding box
    is scaled to fit 20x20 keeping its aspect ratio by area averaging (anti-aliased), and that
    image is moved by whole pixels so its centre of mass lands on pixel (14, 14), 0-based, where
    MNIST's training digits have theirs on average; the peak becomes 255.
    """
    ink = np.where(ink >= 0.1 * ink.max(), ink, 0).astype(np.float64)
    ys, xs = np.nonzero(ink)
    box = ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    h, w = box.shape
    scale = 20.0 / max(h, w)
    nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
    small = area_weights(h, scale, 0, nh) @ box @ area_weights(w, scale, 0, nw).T
    cy = (small.sum(1) * np.arange(nh)).sum() / small.sum()
    cx = (small.sum(0) * np.arange(nw)).sum() / small.sum()
    top, left = int(round(14 - cy)), int(round(14 - cx))
    out = np.zeros((28, 28))
    y0, x0 = max(0, top), max(0, left)
    y1, x1 = min(28, top + nh), min(28, left + nw)
    out[y0:y1, x0:x1] = small[y0 - top:y1 - top, x0 - left:x1 - left]
    return np.clip(np.rint(out * 255 / out.max()), 0, 255).astype(np.uint8)


def area_weights(n, scale, offset, side=28):
    """side x n matrix: how much of output pixel X source pixel i covers (source i spans
    [scale*i+offset, scale*(i+1)+offset) in output units), divided by the output pixel's area."""
    a = scale * np.arange(n) + offset
    lo = np.maximum(a[None, :], np.arange(side)[:, None])
    hi = np.minimum(a[None, :] + scale, np.arange(side)[:, None] + 1)
    return np.clip(hi - lo, 0, None)


def csv_line(label, ink):
    """One CSV line: the label, then the 784 normalised intensities."""
    return ",".join([str(label)] + [str(v) for v in mnist_normalise(ink).ravel()])


def save(path, encoding, rgb, alpha=None, rng=None, quality=90):
    """Write `rgb` (HxWx3 float 0..255; `alpha` HxW 0..1 for the alpha encodings) as `encoding`."""
    rgb8 = np.clip(np.rint(rgb), 0, 255).astype(np.uint8)
    grey = np.clip(np.rint(rgb @ [0.299, 0.587, 0.114]), 0, 255).astype(np.uint8)
    if encoding == "png-L":
        Image.fromarray(grey, "L").save(path, optimize=False)
    elif encoding == "png-LA":
        a8 = np.clip(np.rint(alpha * 255), 0, 255).astype(np.uint8)
        Image.fromarray(np.dstack([grey, a8]), "LA").save(path)
    elif encoding == "png-RGB":
        Image.fromarray(rgb8, "RGB").save(path)
    elif encoding == "png-RGBA":
        a8 = np.clip(np.rint(alpha * 255), 0, 255).astype(np.uint8)
        Image.fromarray(np.dstack([rgb8, a8]), "RGBA").save(path)
    elif encoding == "png-P":
        Image.fromarray(rgb8, "RGB").quantize(colors=32, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path)
    elif encoding == "png-I16":
        g16 = np.clip(np.rint(rgb @ [0.299, 0.587, 0.114] * 257), 0, 65535).astype(np.uint16)
        Image.fromarray(g16).save(path)         # mode I;16: a 16-bit greyscale PNG
    elif encoding == "png-1bit":
        Image.fromarray(np.where(grey >= otsu(grey), 255, 0).astype(np.uint8), "L").convert("1", dither=Image.Dither.NONE).save(path)
    elif encoding == "png-L-interlaced":
        write_interlaced_png(path, grey)
    elif encoding == "png-RGB-interlaced":
        write_interlaced_png(path, rgb8)
    elif encoding == "jpeg-grey":
        Image.fromarray(grey, "L").save(path, quality=quality)
    elif encoding in ("jpeg-baseline", "jpeg-progressive"):
        Image.fromarray(rgb8, "RGB").save(path, quality=quality, progressive=encoding == "jpeg-progressive")
    elif encoding.startswith("jpeg-exif"):
        orientation = int(encoding[-1])
        exif = Image.Exif()
        exif[0x0112] = orientation
        Image.fromarray(rgb8, "RGB").transpose(STORED_ROTATION[orientation]).save(path, quality=quality, exif=exif.tobytes())
    else:
        raise ValueError(f"unknown encoding {encoding}")


def otsu(grey):
    """The threshold that best splits ink from paper (Otsu), as a scanner's black-and-white mode
    would pick it: a fixed 128 loses pale pencil or dim chalk entirely."""
    hist = np.bincount(grey.ravel(), minlength=256).astype(np.float64)
    levels = np.arange(256)
    w0 = np.cumsum(hist)
    m0 = np.cumsum(hist * levels)
    w1 = w0[-1] - w0
    between = (m0[-1] * w0 - m0 * w0[-1]) ** 2 / np.maximum(w0 * w1, 1e-9)
    return int(np.argmax(between[:-1])) + 1


def write_interlaced_png(path, pixels):
    """An Adam7-interlaced 8-bit PNG (grey HxW or RGB HxWx3), rows filtered None/Sub/Up in turn
    so a decoder's per-pass filter state is exercised too."""
    h, w = pixels.shape[:2]
    channels = 1 if pixels.ndim == 2 else 3
    px = pixels.reshape(h, w, channels).astype(np.int16)
    raw = bytearray()
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    for x0, y0, dx, dy in passes:
        sub = px[y0::dy, x0::dx]
        if sub.size == 0:
            continue
        prev = np.zeros_like(sub[0].ravel())
        for r, row in enumerate(sub):
            row = row.ravel()
            kind = r % 3
            if kind == 1:
                left = np.concatenate([np.zeros(channels, np.int16), row[:-channels]])
                data = (row - left) % 256
            elif kind == 2:
                data = (row - prev) % 256
            else:
                data = row
            raw.append(kind)
            raw += data.astype(np.uint8).tobytes()
            prev = row

    def chunk(tag, body):
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", w, h, 8, 0 if channels == 1 else 2, 0, 0, 1)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
                + chunk(b"IEND", b""))
