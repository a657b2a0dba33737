#ifndef PNG_FIXTURES_H
#define PNG_FIXTURES_H

#include <stddef.h>
#include <stdint.h>

/// Encodes a PNG with libpng's full API, in any colour type, bit depth and interlacing, so the
/// tests can hand the reader every kind of file. libpng's longjmp stays inside this C code.
///
/// `samples` holds width × height × channels values (palette indices for colour type 3), each
/// below 2^bit_depth. `palette` is palette_count RGB triples; `trns` (optional) the
/// transparency of palette entries. On success returns 0 and sets *out (free with free()).
int pngfixture_encode(uint8_t **out, size_t *out_length,
                      uint32_t width, uint32_t height, int color_type, int bit_depth, int interlace,
                      const uint16_t *samples,
                      const uint8_t *palette, int palette_count,
                      const uint8_t *trns, int trns_count);

/// The body of an APP1 segment ("Exif\0\0", then TIFF) holding only EXIF Orientation =
/// `orientation`, little- or big-endian, written into `out` (32 bytes); returns its length.
size_t jpegfixture_exif(uint8_t *out, int orientation, int big_endian);

/// A JPEG of `samples` (1 component gray, 3 RGB or 4 CMYK, 8 bits each, row-major) at
/// `quality`, progressive or baseline, with an EXIF Orientation tag when `orientation` is not 0.
/// Returns 0 and sets *out (free with free()).
int jpegfixture_encode(uint8_t **out, size_t *length, uint32_t width, uint32_t height,
                       const uint8_t *samples, int components, int progressive, int quality,
                       int orientation);

#endif
