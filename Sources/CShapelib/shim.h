// shapelib's C API (libshp-dev), used to write Shapefiles.
#include <stdio.h>
#include <shapefil.h>

// Hooks like shapelib's defaults (stdio), except that errors are not printed: the Swift side
// reports them, with the file's name, as errors of its own.
static void cshapelib_ignore_error(const char *message) { (void)message; }

static inline SAHooks cshapelib_quiet_hooks(void) {
    SAHooks hooks;
    SASetupDefaultHooks(&hooks);
    hooks.Error = cshapelib_ignore_error;
    return hooks;
}

// The descriptor under a file shapelib opened with the stdio hooks above, after flushing what
// stdio buffered; -1 when the flush fails. The files are read back through it after their names
// are removed (see ShapefileIO).
static inline int cshapelib_flushed_descriptor(SAFile file) {
    FILE *stream = (FILE *)file;
    if (fflush(stream) != 0) return -1;
    return fileno(stream);
}
