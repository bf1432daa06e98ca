#ifndef PARLEY_CLIBGIT2_SHIM_H
#define PARLEY_CLIBGIT2_SHIM_H
#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/remote.h>
#include <git2/sys/transport.h>

/* git_libgit2_opts is variadic, which Swift cannot call; these wrappers
   give each option Parley uses a fixed signature. */
static inline int parley_git_set_fsync(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, enabled);
}

static inline int parley_git_set_tree_cache_limit(size_t bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, bytes);
}

static inline int parley_git_set_pack_windows(size_t window, size_t mapped_limit) {
    int result = git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, window);
    return result < 0 ? result : git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, mapped_limit);
}

static inline int parley_git_set_cache_max_size(ssize_t bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, bytes);
}

static inline int parley_git_set_strict_hash_verification(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}

static inline int parley_git_enable_caching(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_CACHING, enabled);
}

/* An object database backend's callbacks, called through C so Swift need
   not spell the function-pointer fields. */
static inline int parley_backend_write(git_odb_backend *backend, const git_oid *id, const void *data, size_t size, git_object_t type) {
    return backend->write(backend, id, data, size, type);
}

static inline void parley_backend_free(git_odb_backend *backend) {
    backend->free(backend);
}

#endif
