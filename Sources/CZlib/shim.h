// zlib, for reading gzip-compressed request bodies (tracking clients compress their batches).
#include <zlib.h>
