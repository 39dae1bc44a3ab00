import Foundation
import GuanxiCore

/// A file made ready for an import when it arrives: an Excel workbook (`.xlsx`) becomes the CSV of
/// its first sheet (UTF-8); any other file must pass `UploadCheck` (a table in text, characters
/// that decode, a first row that names columns). A refusal is a field error on `file` that says
/// what to do, so the page shows it at once in the reader's language.
package enum ImportUpload {
    package static func prepare(_ data: Data) throws -> Data {
        if UploadKind.of([UInt8](data.prefix(8192))) == .zip {
            let csv: String
            do {
                csv = try XLSXReader.csv(data)
            } catch XLSXReader.Failure.notWorkbook {
                throw DomainError.field("file", "this file is a compressed archive, not a table: in Excel choose File › Save As › CSV UTF-8, then upload that file")
            } catch XLSXReader.Failure.tooLarge {
                throw DomainError.field("file", "this workbook is too large to read here: in Excel choose File › Save As › CSV UTF-8, then upload that file")
            } catch {
                throw DomainError.field("file", "this Excel workbook could not be read: in Excel choose File › Save As › CSV UTF-8, then upload that file")
            }
            if csv.isEmpty { throw DomainError.field("file", "the first sheet of this workbook is empty") }
            let out = Data(csv.utf8)
            _ = try UploadCheck.text(out)
            return out
        }
        _ = try UploadCheck.text(data)
        return data
    }
}
