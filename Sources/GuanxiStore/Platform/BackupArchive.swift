import Foundation
import Crypto
import GuanxiCore

/// A backup archive as it is written, in one pass over its parts: this process writes the tar stream
/// itself (POSIX ustar headers, with a pax record for a name over 100 bytes or a size over 8 GiB)
/// into the compressor's stdin, hashing each part as it passes; a thread of its own reads the
/// compressor's output, hashes it and writes it to the file. So every part is read once, and the
/// whole file's SHA-256 comes without reading the file again; hashing (SHA-256 runs at ~1.7 GB/s
/// with the CPU's SHA instructions) goes on while the compressor works on what came before.
///
/// Use it from one thread of its own (`Backup.onThread`): writing blocks, and that thread takes
/// SIGPIPE blocked, so a compressor that died shows as an error rather than ending the process.
final class BackupArchive: @unchecked Sendable {
    private var input: Int32
    private let compressor: Child
    private let exe: String
    private let log: String
    private let mtime: Int64
    private let block: UnsafeMutableRawBufferPointer
    private let drained = DispatchSemaphore(value: 0)
    /// What the output thread ends with: the file's size and SHA-256, or why it stopped.
    private var written: Result<(Int64, String), any Error>?
    private var ended = false

    /// Starts `compressor` (reading stdin, writing stdout) with its output going to `output`; its
    /// stderr goes to `log`.
    init(compressor: (String, [String]), output: Int32, log: String, now: Date) throws {
        var pipe = Set<Int32>()
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &blocked, nil)
        var toChild: [Int32] = [-1, -1], fromChild: [Int32] = [-1, -1]
        guard Glibc.pipe(&toChild) == 0 else { throw Self.failure("cannot make a pipe") }
        pipe.formUnion(toChild)
        guard Glibc.pipe(&fromChild) == 0 else { for fd in pipe { close(fd) }; throw Self.failure("cannot make a pipe") }
        pipe.formUnion(fromChild)
        for fd in pipe {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, 1031 /* F_SETPIPE_SZ */, 1 << 20)   // fewer, larger hand-overs; the default 64 KB where refused
        }
        do {
            self.compressor = try Child.spawn(compressor.0, compressor.1, environment: ProcessInfo.processInfo.environment,
                                              stdin: toChild[0], stdout: fromChild[1], stderr: log)
        } catch {
            for fd in pipe { close(fd) }
            throw error
        }
        close(toChild[0]); close(fromChild[1])
        self.input = toChild[1]
        self.exe = compressor.0
        self.log = log
        self.mtime = Int64(now.timeIntervalSince1970)
        self.block = .allocate(byteCount: 512 << 10, alignment: 64)
        let source = fromChild[0]
        Thread { [self] in
            defer { close(source); drained.signal() }
            written = Result { try Self.drain(source, into: output) }
        }.start()
    }

    deinit { block.deallocate() }

    /// Reads the compressor's output to its end, hashing it and writing it to `output`.
    private static func drain(_ source: Int32, into output: Int32) throws -> (Int64, String) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        var hash = SHA256()
        var bytes: Int64 = 0
        while true {
            let n = read(source, buffer.baseAddress, buffer.count)
            if n < 0 { if errno == EINTR { continue }; throw failure("cannot read the compressor's output") }
            if n == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            hash.update(bufferPointer: chunk)
            try writeAll(output, chunk, what: "the backup file")
            bytes += Int64(n)
        }
        return (bytes, hex(hash.finalize()))
    }

    /// A directory member (`name/`).
    func addDirectory(_ name: String) throws {
        try header(name + "/", size: 0, type: UInt8(ascii: "5"), mode: 0o755)
    }

    /// A member holding `data`.
    func addData(_ name: String, _ data: Data) throws {
        try header(name, size: Int64(data.count), type: UInt8(ascii: "0"), mode: 0o644)
        try data.withUnsafeBytes { try send($0) }
        try pad(Int64(data.count))
    }

    /// A member holding the file at `path` (its first `bytes`, else all of it), read once: its size
    /// and SHA-256 come back for the manifest.
    func addFile(_ name: String, from path: String, bytes: Int64? = nil) throws -> BackupManifest.Entry {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.failure("cannot read \(path)") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Self.failure("cannot read \(path)") }
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        let size = bytes ?? Int64(info.st_size)
        try header(name, size: size, type: UInt8(ascii: "0"), mode: 0o644)
        var hash = SHA256()
        var left = size
        while left > 0 {
            let n = read(fd, block.baseAddress, Int(min(Int64(block.count), left)))
            if n < 0 { if errno == EINTR { continue }; throw Self.failure("cannot read \(path)") }
            guard n > 0 else { throw DomainError.badRequest("\(path) became shorter while it was backed up") }
            let chunk = UnsafeRawBufferPointer(rebasing: block[0..<n])
            hash.update(bufferPointer: chunk)
            try send(chunk)
            left -= Int64(n)
        }
        try pad(size)
        return .init(path: name, bytes: size, sha256: Self.hex(hash.finalize()))
    }

    /// The tree at `directory` as members under `root` (directories too, so empty ones come back),
    /// in path order; the files' manifest entries come back.
    func addTree(_ root: String, from directory: String) throws -> [BackupManifest.Entry] {
        let fm = FileManager.default
        try addDirectory(root)
        var found: [(String, Bool)] = []
        if let walk = fm.enumerator(atPath: directory) {
            while let relative = walk.nextObject() as? String {
                var isDirectory: ObjCBool = false
                guard fm.fileExists(atPath: directory + "/" + relative, isDirectory: &isDirectory) else { continue }
                found.append((relative, isDirectory.boolValue))
            }
        }
        var entries: [BackupManifest.Entry] = []
        for (relative, isDirectory) in found.sorted(by: { $0.0 < $1.0 }) {
            if isDirectory { try addDirectory(root + "/" + relative) } else {
                entries.append(try addFile(root + "/" + relative, from: directory + "/" + relative))
            }
        }
        return entries
    }

    /// Ends the archive and waits for the compressor and the output: the file's size and SHA-256.
    func finish() throws -> (Int64, String) {
        try sendBlock([UInt8](repeating: 0, count: 1024))
        let status = end()
        guard let result = try written?.get() else { throw DomainError.badRequest("the backup's output was not read") }
        try Tools.check(status, exe, log: log)
        return result
    }

    /// Stops after `error`: ends the compressor's input, waits for it and the output thread, and says
    /// what went wrong (the compressor's own words when it failed first).
    func abandon(_ error: any Error) -> any Error {
        let status = ended ? 0 : end()
        // the file could not be written (a full disk): the compressor and the writes into it failed after it
        if case .failure(let reason)? = written { return reason }
        do { try Tools.check(status, exe, log: log) } catch let compressorFailed { return compressorFailed }
        return error
    }

    private func end() -> Int32 {
        ended = true
        if input >= 0 { close(input); input = -1 }
        let status = compressor.wait()
        drained.wait()
        return status
    }

    // MARK: - tar

    /// A member's header: a pax record first when the name or size does not fit ustar's fields.
    private func header(_ name: String, size: Int64, type: UInt8, mode: Int64) throws {
        let nameBytes = Array(name.utf8)
        let largest: Int64 = 0o77777777777
        var pax = ""
        if nameBytes.count > 100 { pax += Self.record("path", name) }
        if size > largest { pax += Self.record("size", String(size)) }
        if !pax.isEmpty {
            let body = Array(pax.utf8)
            try sendBlock(Self.ustar(Array("PaxHeader/\(nameBytes.count)".utf8), size: Int64(body.count), type: UInt8(ascii: "x"),
                                     mode: 0o644, mtime: mtime))
            try body.withUnsafeBytes { try send($0) }
            try pad(Int64(body.count))
        }
        try sendBlock(Self.ustar(Array(nameBytes.prefix(100)), size: size > largest ? 0 : size, type: type, mode: mode, mtime: mtime))
    }

    /// One 512-byte ustar header block.
    static func ustar(_ name: [UInt8], size: Int64, type: UInt8, mode: Int64, mtime: Int64) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: 512)
        func put(_ bytes: [UInt8], _ at: Int) { for (i, x) in bytes.enumerated() { b[at + i] = x } }
        func octal(_ v: Int64, _ width: Int) -> [UInt8] {
            let digits = String(v, radix: 8)
            return Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8) + [0]
        }
        put(name, 0)
        put(octal(mode, 8), 100)
        put(octal(0, 8), 108)
        put(octal(0, 8), 116)
        put(octal(size, 12), 124)
        put(octal(mtime, 12), 136)
        put(Array("        ".utf8), 148)
        b[156] = type
        put(Array("ustar".utf8) + [0] + Array("00".utf8), 257)
        let sum = b.reduce(0) { $0 + Int64($1) }
        put(octal(sum, 7) + [0x20], 148)
        return b
    }

    /// A pax record: `<length> key=value\n`, the length counting itself.
    static func record(_ key: String, _ value: String) -> String {
        let rest = " \(key)=\(value)\n".utf8.count
        var length = rest + String(rest).count
        if String(length).count > String(rest).count { length = rest + String(length).count }
        return "\(length) \(key)=\(value)\n"
    }

    private func sendBlock(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try send($0) } }

    private func pad(_ size: Int64) throws {
        let over = Int(size % 512)
        if over > 0 { try sendBlock([UInt8](repeating: 0, count: 512 - over)) }
    }

    private func send(_ bytes: UnsafeRawBufferPointer) throws {
        guard input >= 0 else { throw DomainError.badRequest("the backup archive is already closed") }
        try Self.writeAll(input, bytes, what: "the compressor")
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, what: String) throws {
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 { if errno == EINTR { continue }; throw failure("cannot write to \(what)") }
            done += n
        }
    }

    static func failure(_ what: String) -> DomainError { DomainError.badRequest("\(what): \(String(cString: strerror(errno)))") }

    static func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }
}
