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

#endif
