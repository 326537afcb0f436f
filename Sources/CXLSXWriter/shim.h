// libxlsxwriter's C API (libxlsxwriter-dev), used to write Excel workbooks. Only the Swift
// module XLSXDocument imports it.
#include <xlsxwriter.h>
