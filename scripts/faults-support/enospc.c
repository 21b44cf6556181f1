/*
 * A full disk for the bridge's SQLite files only, switched by a flag file: LD_PRELOAD this library and set
 * FAULTS_ENOSPC_FLAG to a path; while that path exists every write to a file whose name contains ".sqlite"
 * (the database, its WAL and journal) fails with ENOSPC, exactly as on a full disk. Logs, sockets and
 * everything else write normally. Used by scripts/faults.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static int is_full_store(int fd) {
    const char *flag = getenv("FAULTS_ENOSPC_FLAG");
    if (flag == NULL || access(flag, F_OK) != 0) return 0;
    char link[64];
    char path[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t length = readlink(link, path, sizeof path - 1);
    if (length <= 0) return 0;
    path[length] = '\0';
    return strstr(path, ".sqlite") != NULL;
}

typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);
typedef ssize_t (*pwrite64_fn)(int, const void *, size_t, off64_t);
typedef ssize_t (*writev_fn)(int, const struct iovec *, int);
typedef int (*fallocate_fn)(int, int, off_t, off_t);
typedef int (*ftruncate_fn)(int, off_t);

#define REAL(name) static name##_fn real_##name; if (real_##name == NULL) real_##name = (name##_fn)dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void *buffer, size_t count) {
    REAL(write);
    if (is_full_store(fd)) { errno = ENOSPC; return -1; }
    return real_write(fd, buffer, count);
}

ssize_t pwrite(int fd, const void *buffer, size_t count, off_t offset) {
    REAL(pwrite);
    if (is_full_store(fd)) { errno = ENOSPC; return -1; }
    return real_pwrite(fd, buffer, count, offset);
}

ssize_t pwrite64(int fd, const void *buffer, size_t count, off64_t offset) {
    REAL(pwrite64);
    if (is_full_store(fd)) { errno = ENOSPC; return -1; }
    return real_pwrite64(fd, buffer, count, offset);
}

ssize_t writev(int fd, const struct iovec *vector, int count) {
    REAL(writev);
    if (is_full_store(fd)) { errno = ENOSPC; return -1; }
    return real_writev(fd, vector, count);
}

int fallocate(int fd, int mode, off_t offset, off_t length) {
    REAL(fallocate);
    if (is_full_store(fd)) { errno = ENOSPC; return -1; }
    return real_fallocate(fd, mode, offset, length);
}

int ftruncate(int fd, off_t length) {
    REAL(ftruncate);
    if (is_full_store(fd)) { errno = ENOSPC; return -1; }
    return real_ftruncate(fd, length);
}
