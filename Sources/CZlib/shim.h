// zlib's C API (zlib1g-dev), used to compress the PNG pictures of the KMZ.
#include <zlib.h>
