#include "CJPEGDecode.h"

#include <stdio.h>
#include <jpeglib.h>
#include <jerror.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

struct error_manager {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    char *message;
    size_t message_capacity;
};

/// libjpeg may hold this much for one image: a progressive file keeps every DCT coefficient
/// of the whole image (two bytes a sample, whatever the output scale), and without a backing
/// store libjpeg refuses more than this rather than take it.
static const long memory_limit = 256L << 20;
/// A progressive file is read scan by scan; more than this many is no photo but a file made to
/// cost time (a "scan bomb").
static const int scan_limit = 200;

static void on_error(j_common_ptr info) {
    struct error_manager *e = (struct error_manager *)info->err;
    char text[JMSG_LENGTH_MAX];
    if (info->err->msg_code == JERR_NO_BACKING_STORE) {
        snprintf(text, sizeof text, "needs more than %ld MiB to decode (a progressive JPEG this large)", memory_limit >> 20);
    } else if (info->err->msg_code == -1) {
        snprintf(text, sizeof text, "more than %d scans (a progressive JPEG made to cost time)", scan_limit);
    } else {
        info->err->format_message(info, text);
    }
    if (e->message && e->message_capacity) snprintf(e->message, e->message_capacity, "%s", text);
    longjmp(e->jump, 1);
}

static void on_message(j_common_ptr info) {
    (void)info;  // Warnings (a corrupt but recoverable segment) do not stop the image...
}

static void on_emit(j_common_ptr info, int level) {
    // ...except a file that ends early, or whose image data stops at a marker (a cut file with
    // an end marker put back): libjpeg would fill the rest with gray and go on, and a digit
    // read from half a photo is not an answer.
    if (level == -1 && (info->err->msg_code == JWRN_JPEG_EOF || info->err->msg_code == JWRN_HIT_MARKER)) on_error(info);
}

static void on_progress(j_common_ptr info) {
    if (info->is_decompressor && ((j_decompress_ptr)info)->input_scan_number > scan_limit) {
        info->err->msg_code = -1;
        on_error(info);
    }
}

/// The first APP1 segment that starts with "Exif\0\0", copied.
static void copy_exif(struct jpeg_decompress_struct *info, uint8_t **exif, size_t *exif_length) {
    for (jpeg_saved_marker_ptr m = info->marker_list; m; m = m->next) {
        if (m->marker != JPEG_APP0 + 1 || m->data_length < 6 || memcmp(m->data, "Exif\0\0", 6) != 0) continue;
        *exif = malloc(m->data_length - 6);
        if (*exif) {
            memcpy(*exif, m->data + 6, m->data_length - 6);
            *exif_length = m->data_length - 6;
        }
        return;
    }
}

/// Gray from a CMYK pixel. Adobe's CMYK JPEGs (nearly all of them) store the inks inverted.
static uint8_t cmyk_gray(const uint8_t *p, int inverted) {
    int c = inverted ? p[0] : 255 - p[0], m = inverted ? p[1] : 255 - p[1];
    int y = inverted ? p[2] : 255 - p[2], k = inverted ? p[3] : 255 - p[3];
    return (uint8_t)(((299 * c + 587 * m + 114 * y) / 1000) * k / 255);
}

int cjpeg_decode_gray(const uint8_t *data, size_t length, uint32_t max_side, uint32_t min_side,
                      uint8_t **pixels, uint32_t *width, uint32_t *height,
                      uint8_t **exif, size_t *exif_length,
                      char *message, size_t message_capacity) {
    struct jpeg_decompress_struct info;
    struct error_manager e;
    memset(&e, 0, sizeof e);
    if (message_capacity) message[0] = 0;
    *pixels = NULL;
    *exif = NULL;
    *exif_length = 0;
    info.err = jpeg_std_error(&e.base);
    e.base.error_exit = on_error;
    e.base.output_message = on_message;
    e.base.emit_message = on_emit;
    e.message = message;
    e.message_capacity = message_capacity;
    // Volatile: changed between setjmp and a possible longjmp.
    uint8_t *volatile out = NULL;
    uint8_t *volatile row = NULL;
    volatile int code = 1;
    if (setjmp(e.jump)) {
        free(out);
        free(row);
        free(*exif);
        *exif = NULL;
        jpeg_destroy_decompress(&info);
        return code;
    }
    jpeg_create_decompress(&info);
    info.mem->max_memory_to_use = memory_limit;
    struct jpeg_progress_mgr progress = {on_progress, 0, 0, 0, 0};
    info.progress = &progress;
    jpeg_mem_src(&info, data, (unsigned long)length);
    jpeg_save_markers(&info, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(&info, TRUE);
    uint32_t w = info.image_width, h = info.image_height;
    if (w == 0 || h == 0 || w > max_side || h > max_side) {
        snprintf(message, message_capacity, "%u %u", w, h);
        jpeg_destroy_decompress(&info);
        return 2;
    }
    copy_exif(&info, exif, exif_length);
    uint32_t longer = w > h ? w : h;
    unsigned denom = 1;
    while (denom < 8 && longer / (denom * 2) >= min_side) denom *= 2;
    info.scale_num = 1;
    info.scale_denom = denom;
    int cmyk = info.jpeg_color_space == JCS_CMYK || info.jpeg_color_space == JCS_YCCK;
    info.out_color_space = cmyk ? JCS_CMYK : JCS_GRAYSCALE;
    jpeg_start_decompress(&info);
    size_t ow = info.output_width, oh = info.output_height, components = (size_t)info.output_components;
    out = malloc(ow * oh);
    row = malloc(ow * components);
    if (!out || !row) {
        code = 3;
        snprintf(message, message_capacity, "out of memory");
        longjmp(e.jump, 1);
    }
    while (info.output_scanline < oh) {
        size_t y = info.output_scanline;
        JSAMPROW rows[1] = {row};
        jpeg_read_scanlines(&info, rows, 1);
        if (cmyk) {
            for (size_t x = 0; x < ow; x++) out[y * ow + x] = cmyk_gray(row + 4 * x, info.saw_Adobe_marker);
        } else {
            memcpy(out + y * ow, row, ow);
        }
    }
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    free(row);
    *pixels = out;
    *width = (uint32_t)ow;
    *height = (uint32_t)oh;
    return 0;
}
