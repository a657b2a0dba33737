#include "PNGFixtures.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

struct buffer {
    uint8_t *data;
    size_t length;
    size_t capacity;
};

static void write_data(png_structp png, png_bytep bytes, png_size_t length) {
    struct buffer *b = png_get_io_ptr(png);
    if (b->length + length > b->capacity) {
        size_t capacity = (b->capacity + length) * 2;
        uint8_t *grown = realloc(b->data, capacity);
        if (!grown) png_error(png, "out of memory");
        b->data = grown;
        b->capacity = capacity;
    }
    memcpy(b->data + b->length, bytes, length);
    b->length += length;
}

static void flush_data(png_structp png) { (void)png; }

static int channels_of(int color_type) {
    switch (color_type) {
    case PNG_COLOR_TYPE_GRAY: return 1;
    case PNG_COLOR_TYPE_GRAY_ALPHA: return 2;
    case PNG_COLOR_TYPE_RGB: return 3;
    case PNG_COLOR_TYPE_RGB_ALPHA: return 4;
    case PNG_COLOR_TYPE_PALETTE: return 1;
    default: return 0;
    }
}

int pngfixture_encode(uint8_t **out, size_t *out_length,
                      uint32_t width, uint32_t height, int color_type, int bit_depth, int interlace,
                      const uint16_t *samples,
                      const uint8_t *palette, int palette_count,
                      const uint8_t *trns, int trns_count) {
    int channels = channels_of(color_type);
    if (channels == 0) return 1;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    if (!png) return 1;
    png_infop info = png_create_info_struct(png);
    struct buffer b = {NULL, 0, 0};
    size_t row_bytes = ((size_t)width * channels * bit_depth + 7) / 8;
    uint8_t *row = calloc(row_bytes ? row_bytes : 1, 1);
    if (!info || !row || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, info ? &info : NULL);
        free(b.data);
        free(row);
        return 1;
    }
    png_set_write_fn(png, &b, write_data, flush_data);
    png_set_IHDR(png, info, width, height, bit_depth, color_type,
                 interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        png_color colors[256];
        for (int i = 0; i < palette_count && i < 256; i++) {
            colors[i].red = palette[3 * i];
            colors[i].green = palette[3 * i + 1];
            colors[i].blue = palette[3 * i + 2];
        }
        png_set_PLTE(png, info, colors, palette_count);
        if (trns && trns_count > 0) png_set_tRNS(png, info, trns, trns_count, NULL);
    }
    png_write_info(png, info);
    int passes = interlace ? png_set_interlace_handling(png) : 1;
    for (int pass = 0; pass < passes; pass++) {
        for (uint32_t y = 0; y < height; y++) {
            memset(row, 0, row_bytes);
            const uint16_t *s = samples + (size_t)y * width * channels;
            for (size_t i = 0; i < (size_t)width * channels; i++) {
                uint16_t v = s[i];
                if (bit_depth == 16) {
                    row[2 * i] = (uint8_t)(v >> 8);
                    row[2 * i + 1] = (uint8_t)(v & 0xff);
                } else if (bit_depth == 8) {
                    row[i] = (uint8_t)v;
                } else {
                    size_t bit = i * bit_depth;
                    row[bit / 8] |= (uint8_t)(v << (8 - bit_depth - bit % 8));
                }
            }
            png_write_row(png, row);
        }
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    *out = b.data;
    *out_length = b.length;
    return 0;
}
