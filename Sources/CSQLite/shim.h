// SQLite's C API (libsqlite3-dev), used to write GeoPackages.
#include <sqlite3.h>

// sqlite3_config is variadic, which Swift cannot call: this wrapper turns off SQLite's global
// memory statistics, whose mutex two threads using SQLite at once (PROJ's proj.db and a
// GeoPackage) would otherwise contend for. Valid only before SQLite is first initialised.
static inline int csqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
