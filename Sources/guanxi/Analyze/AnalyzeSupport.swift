import ArgumentParser
import Foundation
import GuanxiAnalytics

/// An ordered JSON value, serialised without a dependency and with shortest round-trip numbers.
indirect enum JSONValue {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case number(Double)
    case int(Int)
    case string(String)
    case bool(Bool)
    case null

    /// Serialises to UTF-8 bytes (compact, one line).
    func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        write(into: &out)
        out.append(0x0A)
        return out
    }

    private func write(into out: inout [UInt8]) {
        switch self {
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (i, value) in values.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                value.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .number(let v):
            if v.isFinite {
                if v == v.rounded(), abs(v) < 1e15 {
                    out.append(contentsOf: String(Int64(v)).utf8)
                } else {
                    out.append(contentsOf: v.description.utf8)
                }
            } else {
                out.append(contentsOf: "null".utf8)
            }
        case .int(let v):
            out.append(contentsOf: String(v).utf8)
        case .string(let s):
            JSONValue.writeString(s, into: &out)
        case .bool(let b):
            out.append(contentsOf: (b ? "true" : "false").utf8)
        case .null:
            out.append(contentsOf: "null".utf8)
        }
    }

    private static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0..<0x20: out.append(contentsOf: String(format: "\\u%04x", byte).utf8)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// Helpers shared by the analyze subcommands: input loading with line-numbered errors, output, progress.
enum AnalyzeIO {
    /// Writes to stdout.
    static func emit(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { FileHandle.standardOutput.write(Data(buffer: $0)) }
    }

    /// Writes a line to stdout.
    static func emit(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Writes a line to stderr.
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Reports an input error on stderr and exits non-zero.
    static func fail(_ message: String) -> ExitCode {
        note("error: \(message)")
        return ExitCode(1)
    }

    /// Loads a transactions CSV, reporting progress for large files.
    static func loadTransactions(_ path: String) throws -> TransactionTable {
        let url = URL(fileURLWithPath: path)
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
        let large = size > 20_000_000
        let start = Date()
        if large { note("reading \(path) (\(size / 1_000_000) MB)…") }
        do {
            let table = try TransactionCSV.read(contentsOf: url)
            if large {
                note(String(format: "read %d transactions of %d customers in %.2f s", table.count, table.customerCount,
                            Date().timeIntervalSince(start)))
            }
            return table
        } catch let error as AnalyticsInputError {
            throw fail("\(path): \(error)")
        } catch {
            throw fail("cannot read \(path): \(error.localizedDescription)")
        }
    }

    /// Loads a baskets CSV.
    static func loadBaskets(_ path: String) throws -> BasketTable {
        do {
            return try BasketCSV.read(contentsOf: URL(fileURLWithPath: path))
        } catch let error as AnalyticsInputError {
            throw fail("\(path): \(error)")
        } catch {
            throw fail("cannot read \(path): \(error.localizedDescription)")
        }
    }

    /// Parses a `YYYY-MM-DD`/`YYYYMMDD` option value.
    static func day(_ text: String?, option: String) throws -> Int? {
        guard let text else { return nil }
        guard let day = CivilDate.parse(text) else {
            throw ValidationError("\(option) must be a date YYYY-MM-DD or YYYYMMDD, got '\(text)'")
        }
        return day
    }

    /// Whether phase timings go to stderr (environment variable `GUANXI_TIMINGS` set).
    static let timingsEnabled = ProcessInfo.processInfo.environment["GUANXI_TIMINGS"] != nil

    /// Runs `body`, printing `timing <label> <seconds>` to stderr when timings are enabled.
    static func timed<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
        guard timingsEnabled else { return try body() }
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try body()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        note(String(format: "timing %@ %.4f", label, seconds))
        return value
    }

    /// Rounds for the text report.
    static func fmt(_ v: Double, _ places: Int = 3) -> String {
        String(format: "%.\(places)f", v)
    }
}
