#ifndef CJPEG_SHIM_H
#define CJPEG_SHIM_H

// libjpeg-turbo's libjpeg API. Its errors longjmp out of the library, so Swift never calls it
// directly: CJPEGDecode holds the setjmp and returns codes.
#include <stddef.h>
#include <stdio.h>
#include <jpeglib.h>

#endif
