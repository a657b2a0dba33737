#ifndef CPNG_DECODE_H
#define CPNG_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include "cpu_target.h"  // not about PNG: see there why it is here

/// Decodes any PNG (every colour type, bit depth 1–16, palette, transparency, interlacing)
/// to 8-bit gray plus alpha, two bytes per pixel, with libpng's full API.
///
/// libpng reports errors by longjmp; this function holds the setjmp, so the jump never leaves
/// C and the caller only ever sees a return code. Returns 0 and sets *pixels (free with
/// free()), *width and *height on success; otherwise a non-zero code and a message:
/// 1 libpng error, 2 larger than max_side on a side (checked before any pixel memory is
/// allocated), 3 out of memory.
int cpng_decode_gray_alpha(const uint8_t *data, size_t length, uint32_t max_side,
                           uint8_t **pixels, uint32_t *width, uint32_t *height,
                           char *message, size_t message_capacity);

#endif
