#ifndef CJPEG_DECODE_H
#define CJPEG_DECODE_H

#include <stddef.h>
#include <stdint.h>

/// Decodes a JPEG (baseline or progressive; grayscale, YCbCr, RGB, CMYK or YCCK) to 8-bit gray,
/// one byte per pixel, with libjpeg-turbo.
///
/// Large images are decoded at 1/2, 1/4 or 1/8 of their size by libjpeg's DCT scaling, the
/// largest reduction that keeps the longer side at least `min_side` pixels, so a 12-megapixel
/// photo costs a fraction of its full size. libjpeg reports errors by longjmp; this function
/// holds the setjmp, so the caller only ever sees a return code. Returns 0 and sets *pixels
/// (free with free()), *width and *height, and *exif / *exif_length (the body of the first
/// APP1 "Exif" segment, free with free(); NULL when there is none). Otherwise non-zero and a
/// message: 1 libjpeg error, 2 larger than max_side on a side (checked before pixel memory is
/// allocated; the message is "WIDTH HEIGHT"), 3 out of memory.
int cjpeg_decode_gray(const uint8_t *data, size_t length, uint32_t max_side, uint32_t min_side,
                      uint8_t **pixels, uint32_t *width, uint32_t *height,
                      uint8_t **exif, size_t *exif_length,
                      char *message, size_t message_capacity);

#endif
