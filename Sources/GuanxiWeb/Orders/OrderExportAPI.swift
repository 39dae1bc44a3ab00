import Foundation
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform

/// `/api/v1/exports/orders.csv` and `.ndjson`: every order the role may read, streamed page by page
/// for a data team's warehouse (docs/INTEGRATION.md).
struct OrderExportAPI {
    let exports: RecordExporter

    func register(_ t: RouteTable) {
        for format in ExportFormat.allCases {
            let name = format == .csv ? "CSV" : "NDJSON"
            t.on(APIRoute(method: .get, path: "/exports/orders.\(format.rawValue)", operationID: "exportOrders\(name)",
                          summary: "Every order the role may read as \(name), streamed (money in minor units, times ISO 8601\(format == .ndjson ? ", lines included" : ""))",
                          tag: "Import", needs: .can(.export, .orders))) { _, _, scope in
                let exports = exports
                return .streamed(contentType: format.contentType, filename: "orders.\(format.rawValue)") { write in
                    try await exports.orders(scope, format: format, write: write)
                }
            }
        }
    }
}
