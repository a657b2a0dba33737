#include "PNGFixtures.h"

#include <stdio.h>
#include <jpeglib.h>
#include <stdlib.h>

size_t jpegfixture_exif(uint8_t *out, int orientation, int big_endian) {
    size_t n = 0;
    const char *tag = "Exif\0\0";
    for (int i = 0; i < 6; i++) out[n++] = (uint8_t)tag[i];
#define U16(v) do { unsigned x_ = (unsigned)(v); if (big_endian) { out[n++] = (uint8_t)(x_ >> 8); out[n++] = (uint8_t)x_; } \
                    else { out[n++] = (uint8_t)x_; out[n++] = (uint8_t)(x_ >> 8); } } while (0)
#define U32(v) do { unsigned long y_ = (unsigned long)(v); if (big_endian) { U16(y_ >> 16); U16(y_ & 0xffff); } \
                    else { U16(y_ & 0xffff); U16(y_ >> 16); } } while (0)
    out[n++] = big_endian ? 0x4D : 0x49;
    out[n++] = big_endian ? 0x4D : 0x49;
    U16(42);
    U32(8);           // the first IFD right after the header
    U16(1);           // one entry:
    U16(0x0112);      // Orientation,
    U16(3);           // SHORT,
    U32(1);           // one value,
    U16(orientation); // in the first two bytes of the value field
    U16(0);
    U32(0);           // no next IFD
#undef U16
#undef U32
    return n;
}

int jpegfixture_encode(uint8_t **out, size_t *length, uint32_t width, uint32_t height,
                       const uint8_t *samples, int components, int progressive, int quality,
                       int orientation) {
    uint8_t exif[64];
    size_t exif_length = orientation ? jpegfixture_exif(exif, orientation, 0) : 0;
    struct jpeg_compress_struct info;
    struct jpeg_error_mgr errors;
    info.err = jpeg_std_error(&errors);  // Fixtures are well-formed: libjpeg's exit is fine here.
    jpeg_create_compress(&info);
    unsigned long size = 0;
    *out = NULL;
    jpeg_mem_dest(&info, out, &size);
    info.image_width = width;
    info.image_height = height;
    info.input_components = components;
    info.in_color_space = components == 1 ? JCS_GRAYSCALE : components == 3 ? JCS_RGB : JCS_CMYK;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    if (progressive) jpeg_simple_progression(&info);
    jpeg_start_compress(&info, TRUE);
    if (exif_length) jpeg_write_marker(&info, JPEG_APP0 + 1, exif, (unsigned)exif_length);
    while (info.next_scanline < height) {
        JSAMPROW row = (JSAMPROW)(samples + (size_t)info.next_scanline * width * (size_t)components);
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    *length = size;
    return 0;
}
