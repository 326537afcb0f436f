// SQLite's C API (libsqlite3-dev), used to write GeoPackages.
#include <sqlite3.h>
