#include "CPNGDecode.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct reader {
    const uint8_t *data;
    size_t length;
    size_t offset;
    char *message;
    size_t message_capacity;
};

static void on_error(png_structp png, png_const_charp text) {
    struct reader *r = png_get_error_ptr(png);
    if (r && r->message && r->message_capacity) snprintf(r->message, r->message_capacity, "%s", text);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;  // Warnings (ancillary chunk problems) do not stop the image.
}

static void read_data(png_structp png, png_bytep out, png_size_t count) {
    struct reader *r = png_get_io_ptr(png);
    if (count > r->length - r->offset) png_error(png, "unexpected end of file (truncated PNG)");
    memcpy(out, r->data + r->offset, count);
    r->offset += count;
}

int cpng_decode_gray_alpha(const uint8_t *data, size_t length, uint32_t max_side,
                           uint8_t **pixels, uint32_t *width, uint32_t *height,
                           char *message, size_t message_capacity) {
    struct reader r = {data, length, 0, message, message_capacity};
    if (message_capacity) message[0] = 0;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r, on_error, on_warning);
    if (!png) return 3;
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return 3;
    }
    // Volatile: changed between setjmp and a possible longjmp.
    uint8_t *volatile out = NULL;
    png_bytep *volatile rows = NULL;
    volatile int code = 1;
    if (setjmp(png_jmpbuf(png))) {
        free(out);
        free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        return code;
    }
    png_set_read_fn(png, &r, read_data);
    png_read_info(png, info);
    uint32_t w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    if (w == 0 || h == 0 || w > max_side || h > max_side) {
        snprintf(message, message_capacity, "%u x %u", w, h);
        code = 2;
        png_longjmp(png, 1);
    }
    int color = png_get_color_type(png, info);
    if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(png, info) < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    png_set_scale_16(png);
    if (color == PNG_COLOR_TYPE_RGB || color == PNG_COLOR_TYPE_RGB_ALPHA || color == PNG_COLOR_TYPE_PALETTE)
        png_set_rgb_to_gray_fixed(png, 1, -1, -1);  // the default (Rec. 709) weights
    if (!(color & PNG_COLOR_MASK_ALPHA) && !png_get_valid(png, info, PNG_INFO_tRNS))
        png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if (png_get_rowbytes(png, info) != (size_t)w * 2) {
        snprintf(message, message_capacity, "unexpected row layout after conversion");
        png_longjmp(png, 1);
    }
    code = 3;
    out = malloc((size_t)w * h * 2);
    rows = malloc(sizeof(png_bytep) * h);
    if (!out || !rows) png_longjmp(png, 1);
    code = 1;
    for (uint32_t y = 0; y < h; y++) rows[y] = out + (size_t)y * w * 2;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    free(rows);
    *pixels = out;
    *width = w;
    *height = h;
    return 0;
}
