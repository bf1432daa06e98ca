#include <zlib.h>

/// `inflateInit` is a macro Swift cannot call: it passes the library's version and the stream's size along.
static inline int parley_inflate_init(z_streamp stream) { return inflateInit(stream); }
