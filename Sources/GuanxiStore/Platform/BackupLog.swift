import Foundation
import GuanxiCore

/// Where the last backup is recorded: `last-backup.json` in the data directory (`--data`, also when
/// the data is in PostgreSQL), written by `guanxi backup` once a backup is complete and checked,
/// read by the status page. One small file rather than a table: the backup of a database cannot
/// hold the record of itself, and a PostgreSQL backup taken on the server's host finds it the same way.
package struct BackupLog: Sendable {
    package let path: String
    package init(directory: String) { path = directory + "/last-backup.json" }

    struct Marker: Codable {
        var takenAt: Date; var kind: String; var location: String?; var sizeBytes: Int64?
        enum CodingKeys: String, CodingKey { case takenAt = "taken_at", kind, location, sizeBytes = "size_bytes" }
    }

    /// Records a finished backup (replacing the file atomically).
    package func record(_ b: BackupRecord) throws {
        let e = JSONEncoder(); e.dateEncodingStrategy = .iso8601; e.outputFormatting = [.sortedKeys]
        let data = try e.encode(Marker(takenAt: b.takenAt, kind: b.kind, location: b.location, sizeBytes: b.sizeBytes))
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// The last backup recorded; nil when none was (or the file cannot be read).
    package func last() -> BackupRecord? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let d = JSONDecoder(); d.dateDecodingStrategy = .iso8601
        guard let m = try? d.decode(Marker.self, from: data) else { return nil }
        return BackupRecord(takenAt: m.takenAt, kind: m.kind, location: m.location, sizeBytes: m.sizeBytes)
    }
}
