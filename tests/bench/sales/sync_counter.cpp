#include "sync_counter.hpp"

#include <sqlite3.h>

namespace till::bench {

struct SyncCounter::Impl {
    sqlite3_vfs vfs{};          // the shim; pAppData points back here
    sqlite3_vfs* real = nullptr;
    std::atomic<std::int64_t> wal{0}, db{0}, other{0};
};

namespace {

enum class FileKind { wal, db, other };

// The shim's file: our header, then the real VFS's file object.
struct CountingFile {
    sqlite3_file base;
    sqlite3_file* real;
    SyncCounter::Impl* counter;
    FileKind kind;
};

sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<CountingFile*>(f)->real; }
SyncCounter::Impl* impl_of(sqlite3_vfs* vfs) { return static_cast<SyncCounter::Impl*>(vfs->pAppData); }
sqlite3_vfs* real_vfs(sqlite3_vfs* vfs) { return impl_of(vfs)->real; }

int file_close(sqlite3_file* f) { return real_of(f)->pMethods->xClose(real_of(f)); }
int file_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
    return real_of(f)->pMethods->xRead(real_of(f), buf, n, off);
}
int file_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
    return real_of(f)->pMethods->xWrite(real_of(f), buf, n, off);
}
int file_truncate(sqlite3_file* f, sqlite3_int64 size) { return real_of(f)->pMethods->xTruncate(real_of(f), size); }
int file_sync(sqlite3_file* f, int flags) {
    auto* cf = reinterpret_cast<CountingFile*>(f);
    switch (cf->kind) {
        case FileKind::wal: ++cf->counter->wal; break;
        case FileKind::db: ++cf->counter->db; break;
        case FileKind::other: ++cf->counter->other; break;
    }
    return cf->real->pMethods->xSync(cf->real, flags);
}
int file_size(sqlite3_file* f, sqlite3_int64* size) { return real_of(f)->pMethods->xFileSize(real_of(f), size); }
int file_lock(sqlite3_file* f, int level) { return real_of(f)->pMethods->xLock(real_of(f), level); }
int file_unlock(sqlite3_file* f, int level) { return real_of(f)->pMethods->xUnlock(real_of(f), level); }
int file_reserved(sqlite3_file* f, int* out) { return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out); }
int file_control(sqlite3_file* f, int op, void* arg) { return real_of(f)->pMethods->xFileControl(real_of(f), op, arg); }
int file_sector(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int file_caps(sqlite3_file* f) { return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f)); }
int file_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
    return real_of(f)->pMethods->xShmMap(real_of(f), page, size, extend, out);
}
int file_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}
void file_shm_barrier(sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }
int file_shm_unmap(sqlite3_file* f, int del) { return real_of(f)->pMethods->xShmUnmap(real_of(f), del); }
int file_fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** out) {
    return real_of(f)->pMethods->xFetch(real_of(f), off, n, out);
}
int file_unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
    return real_of(f)->pMethods->xUnfetch(real_of(f), off, p);
}

const sqlite3_io_methods kCountingMethods = {
    3,           file_close,     file_read,      file_write,     file_truncate,  file_sync,
    file_size,   file_lock,      file_unlock,    file_reserved,  file_control,   file_sector,
    file_caps,   file_shm_map,   file_shm_lock,  file_shm_barrier, file_shm_unmap, file_fetch,
    file_unfetch};

int vfs_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
    auto* cf = reinterpret_cast<CountingFile*>(file);
    cf->real = reinterpret_cast<sqlite3_file*>(cf + 1);
    cf->counter = impl_of(vfs);
    cf->kind = (flags & SQLITE_OPEN_WAL) ? FileKind::wal : (flags & SQLITE_OPEN_MAIN_DB) ? FileKind::db : FileKind::other;
    cf->real->pMethods = nullptr;
    int rc = real_vfs(vfs)->xOpen(real_vfs(vfs), name, cf->real, flags, out_flags);
    cf->base.pMethods = cf->real->pMethods ? &kCountingMethods : nullptr;
    return rc;
}
int vfs_delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
    return real_vfs(vfs)->xDelete(real_vfs(vfs), name, sync_dir);
}
int vfs_access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
    return real_vfs(vfs)->xAccess(real_vfs(vfs), name, flags, out);
}
int vfs_full_pathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
    return real_vfs(vfs)->xFullPathname(real_vfs(vfs), name, n, out);
}
void* vfs_dl_open(sqlite3_vfs* vfs, const char* name) { return real_vfs(vfs)->xDlOpen(real_vfs(vfs), name); }
void vfs_dl_error(sqlite3_vfs* vfs, int n, char* out) { real_vfs(vfs)->xDlError(real_vfs(vfs), n, out); }
void (*vfs_dl_sym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
    return real_vfs(vfs)->xDlSym(real_vfs(vfs), handle, symbol);
}
void vfs_dl_close(sqlite3_vfs* vfs, void* handle) { real_vfs(vfs)->xDlClose(real_vfs(vfs), handle); }
int vfs_randomness(sqlite3_vfs* vfs, int n, char* out) { return real_vfs(vfs)->xRandomness(real_vfs(vfs), n, out); }
int vfs_sleep(sqlite3_vfs* vfs, int us) { return real_vfs(vfs)->xSleep(real_vfs(vfs), us); }
int vfs_current_time(sqlite3_vfs* vfs, double* out) { return real_vfs(vfs)->xCurrentTime(real_vfs(vfs), out); }
int vfs_last_error(sqlite3_vfs* vfs, int n, char* out) { return real_vfs(vfs)->xGetLastError(real_vfs(vfs), n, out); }
int vfs_current_time64(sqlite3_vfs* vfs, sqlite3_int64* out) {
    return real_vfs(vfs)->xCurrentTimeInt64(real_vfs(vfs), out);
}
int vfs_set_syscall(sqlite3_vfs* vfs, const char* name, sqlite3_syscall_ptr p) {
    return real_vfs(vfs)->xSetSystemCall(real_vfs(vfs), name, p);
}
sqlite3_syscall_ptr vfs_get_syscall(sqlite3_vfs* vfs, const char* name) {
    return real_vfs(vfs)->xGetSystemCall(real_vfs(vfs), name);
}
const char* vfs_next_syscall(sqlite3_vfs* vfs, const char* name) {
    return real_vfs(vfs)->xNextSystemCall(real_vfs(vfs), name);
}

}  // namespace

SyncCounter::SyncCounter() : impl_(std::make_unique<Impl>()) {}

SyncCounter::~SyncCounter() { sqlite3_vfs_unregister(&impl_->vfs); }

std::unique_ptr<SyncCounter> SyncCounter::install() {
    if (sqlite3_initialize() != SQLITE_OK) return nullptr;
    sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
    if (!real || real->iVersion < 3) return nullptr;
    std::unique_ptr<SyncCounter> counter(new SyncCounter());
    Impl& im = *counter->impl_;
    im.real = real;
    sqlite3_vfs& v = im.vfs;
    v.iVersion = 3;
    v.szOsFile = static_cast<int>(sizeof(CountingFile)) + real->szOsFile;
    v.mxPathname = real->mxPathname;
    v.zName = "till-sync-counter";
    v.pAppData = &im;
    v.xOpen = vfs_open;
    v.xDelete = vfs_delete;
    v.xAccess = vfs_access;
    v.xFullPathname = vfs_full_pathname;
    v.xDlOpen = vfs_dl_open;
    v.xDlError = vfs_dl_error;
    v.xDlSym = vfs_dl_sym;
    v.xDlClose = vfs_dl_close;
    v.xRandomness = vfs_randomness;
    v.xSleep = vfs_sleep;
    v.xCurrentTime = vfs_current_time;
    v.xGetLastError = vfs_last_error;
    v.xCurrentTimeInt64 = vfs_current_time64;
    v.xSetSystemCall = vfs_set_syscall;
    v.xGetSystemCall = vfs_get_syscall;
    v.xNextSystemCall = vfs_next_syscall;
    if (sqlite3_vfs_register(&v, 1) != SQLITE_OK) return nullptr;
    return counter;
}

SyncCounts SyncCounter::counts() const noexcept {
    return {impl_->wal.load(), impl_->db.load(), impl_->other.load()};
}

}  // namespace till::bench
