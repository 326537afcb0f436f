// PROJ's C API (libproj-dev): coordinate operations and the geodesic routines.
#include <proj.h>
#include <geodesic.h>
