import Foundation
import Testing
import GuanxiTestSupport
import GuanxiCore
import GuanxiStore
@testable import GuanxiWeb
@testable import GuanxiWebPlatform

@Suite("Exports for a warehouse: orders and scores as CSV and NDJSON, streamed; on SQLite and PostgreSQL")
struct ExportTests {
    @Test(arguments: Backend.all) func ordersAndScoresExportPageByPageForRolesWithTheRight(_ backend: Backend) async throws {
        try await WebEnv.run(backend) { env in
            let admin = Scope(workspaceID: env.workspaceA.id, userID: nil, role: .admin)
            // more orders than one page of the export, of customers with Chinese and emoji names
            var csv = "customer_external_id,placed_at,amount,product\n"
            for i in 0..<1_050 { csv += "客户🍵-\(i % 35),2026-0\(1 + i % 6)-\(10 + i % 18),\(100 + i).25,\(["绿茶", "红茶"][i % 2])\n" }
            let imported = try await env.services.orderHistory.run(admin, data: Data(csv.utf8))
            #expect(imported.rejected == 0 && imported.created == 1_050)
            // and one a shop sent with an id a spreadsheet would run as a formula
            var d = OrderDraft(); d.source = "tmall"; d.externalID = "=HYPERLINK(\"x\")"; d.customer = .init(externalID: "买家1", name: "买家 😀")
            d.lines = [LineDraft(name: "茶具", quantity: 1, unitPrice: 9_900, discount: Percent(basisPoints: 0), taxRate: Percent(basisPoints: 0))]
            _ = try await env.services.orders.create(admin, d)
            _ = try await env.services.scores.run(admin, asOf: "2026-06-30", period: "week")

            let orders = try await env.get("/api/v1/exports/orders.csv", as: .admin)
            #expect(orders.status == .ok && orders.header("Content-Type")?.hasPrefix("text/csv") == true)
            #expect(orders.header("Content-Disposition")?.contains("orders.csv") == true)
            #expect(orders.body.prefix(3) == Data([0xEF, 0xBB, 0xBF]))
            let rows = orders.text.split(whereSeparator: \.isNewline)
            #expect(rows.first?.hasSuffix("id,number,source,external_id,status,customer_id,owner_id,currency,total,paid,refunded,placed_at,paid_at,shipped_at,delivered_at,confirmed_at,closed_at,updated_at") == true)
            #expect(rows.count == 1 + 1_051, "\(rows.count)")
            #expect(orders.text.contains("'=HYPERLINK") && !orders.text.contains(",=HYPERLINK"))
            // NDJSON: one object a line, each order with its lines; ids ascending, none twice across pages
            let nd = try await env.get("/api/v1/exports/orders.ndjson", as: .admin)
            #expect(nd.status == .ok && nd.header("Content-Type")?.hasPrefix("application/x-ndjson") == true)
            let objects = try nd.text.split(separator: "\n").map { try JSONParser.parse(String($0)) }
            #expect(objects.count == 1_051)
            let ids = objects.compactMap { $0.objectValue?["id"]?.stringValue }
            #expect(ids == ids.sorted() && Set(ids).count == ids.count)
            let shop = try #require(objects.first { $0.objectValue?["source"]?.stringValue == "tmall" }?.objectValue)
            #expect(shop["external_id"]?.stringValue == "=HYPERLINK(\"x\")" && shop["total"] == .number(9_900))
            #expect(shop["lines"]?.arrayValue?.count == 1 && shop["placed_at"]?.stringValue?.hasSuffix("Z") == true)
            // scores: every scored customer, with the run's currency
            let scores = try await env.get("/api/v1/exports/scores.ndjson", as: .admin)
            let scored = try scores.text.split(separator: "\n").map { try JSONParser.parse(String($0)) }
            #expect(scored.count == 35 && scored.allSatisfy { $0.objectValue?["currency"]?.stringValue == "CNY" && $0.objectValue?["p_alive"] != nil })
            let scoresCSV = try await env.get("/api/v1/exports/scores.csv", as: .admin)
            #expect(scoresCSV.text.split(whereSeparator: \.isNewline).count == 36 && scoresCSV.text.contains("rfm_segment"))
            // roles without the export right are refused; another workspace exports nothing of A's
            for who: Auth in [.a, .readOnly] {
                #expect(try await env.get("/api/v1/exports/orders.csv", as: who).status == .forbidden)
                #expect(try await env.get("/api/v1/exports/scores.ndjson", as: who).status == .forbidden)
            }
            let other = try await env.get("/api/v1/exports/orders.ndjson", as: .b)
            #expect(other.status == .ok && other.text.isEmpty)
            // each export is in the audit log with its row count
            let audit = try await env.services.audit.list(admin, object: "orders", limit: 50).items.filter { $0.action == "export" }
            #expect(audit.count == 2 && audit.allSatisfy { ($0.detail.map { JSONCoding.encode($0) } ?? "").contains("1051") })
            // the store writes the same rows the API streams
            var written = Data()
            let n = try await env.services.exports.scores(admin, format: .csv) { written.append($0) }
            #expect(n == 35 && String(decoding: written, as: UTF8.self) == scoresCSV.text)
        }
    }
}
