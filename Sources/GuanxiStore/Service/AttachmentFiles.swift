import Foundation
import Crypto
import GuanxiCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of ticket attachments, on disk under one directory, named by their SHA-256 (the same
/// file sent twice is kept once): `ab/cd/abcd…`. A file is written to `tmp/` first, flushed to the
/// disk, then renamed into place, so a crash never leaves half a file under a name a row points
/// at. Files are written before the transaction that records them; one whose transaction rolled
/// back is an orphan nothing refers to, harmless, and `sweep` removes it.
package struct AttachmentFiles: Sendable {
    package let directory: String

    package init(directory: String) { self.directory = directory }

    /// Where files go when no directory is configured: beside a SQLite database, else a temporary one.
    package static func beside(_ location: DatabaseLocation) -> AttachmentFiles {
        switch location {
        case .sqlite(let dir): return AttachmentFiles(directory: dir + "/files")
        case .sqliteFile(let path): return AttachmentFiles(directory: path + ".files")
        case .postgres:
            return AttachmentFiles(directory: FileManager.default.temporaryDirectory.appendingPathComponent("guanxi-files-\(UUID().uuidString)").path)
        }
    }

    package static func digest(_ data: Data) -> String { Hex.string(SHA256.hash(data: data)) }

    func path(_ sha256: String) -> String {
        let s = Array(sha256)
        return directory + "/" + String(s[0..<2]) + "/" + String(s[2..<4]) + "/" + sha256
    }

    /// Keeps `data` (once per content); answers its SHA-256.
    @discardableResult
    package func put(_ data: Data) throws -> String {
        let sha = Self.digest(data)
        let final = path(sha)
        let fm = FileManager.default
        if let size = ((try? fm.attributesOfItem(atPath: final))?[.size] as? NSNumber)?.intValue, size == data.count {
            // kept again: fresh for `sweep`, which spares what was written within its age
            try? fm.setAttributes([.modificationDate: Date()], ofItemAtPath: final)
            return sha
        }
        try fm.createDirectory(atPath: directory + "/tmp", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: (final as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let temp = directory + "/tmp/" + sha + "-" + UUID().uuidString
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o640)
        guard fd >= 0 else { throw FileFailure("cannot create \(temp): errno \(errno)") }
        var ok = true
        data.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let n = write(fd, raw.baseAddress! + off, raw.count - off)
                if n <= 0 { ok = false; return }
                off += n
            }
        }
        if ok { ok = fsync(fd) == 0 }
        close(fd)
        guard ok, rename(temp, final) == 0 else {
            unlink(temp)
            throw FileFailure("cannot write attachment \(sha)")
        }
        // the rename itself reaches the disk with its directory
        let dfd = open((final as NSString).deletingLastPathComponent, O_RDONLY)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
        return sha
    }

    /// The bytes kept under `sha256`.
    package func read(_ sha256: String) throws -> Data {
        guard sha256.count == 64, sha256.allSatisfy(\.isHexDigit) else { throw DomainError.notFound("attachment") }
        guard let data = FileManager.default.contents(atPath: path(sha256)) else { throw FileFailure("attachment file \(sha256) is missing") }
        return data
    }

    /// Removes files no row refers to (`referenced`) and leftovers of interrupted writes, older than `age` seconds.
    package func sweep(referenced: Set<String>, olderThan age: TimeInterval, now: Date) throws -> Int {
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: directory) else { return 0 }
        var removed = 0
        while let rel = walker.nextObject() as? String {
            let full = directory + "/" + rel
            guard let a = try? fm.attributesOfItem(atPath: full), (a[.type] as? FileAttributeType) == .typeRegular,
                  let m = a[.modificationDate] as? Date, now.timeIntervalSince(m) > age else { continue }
            let name = (rel as NSString).lastPathComponent
            if rel.hasPrefix("tmp/") || !referenced.contains(name) { try? fm.removeItem(atPath: full); removed += 1 }
        }
        return removed
    }

    package struct FileFailure: Error, CustomStringConvertible { package let description: String; init(_ d: String) { description = d } }
}
