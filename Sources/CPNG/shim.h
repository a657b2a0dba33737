#ifndef CPNG_SHIM_H
#define CPNG_SHIM_H

// libpng's simplified API (png_image_*): every error is caught inside libpng (its own
// setjmp) and reported through the return value and png_image.message, so no longjmp ever
// crosses a Swift frame.
#include <png.h>

#endif
