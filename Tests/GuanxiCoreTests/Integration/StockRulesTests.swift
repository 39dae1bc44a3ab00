import Foundation
import Testing
import GuanxiCore

@Suite("Stock rules: available, newer counts win, oversold lines, ship-to")
struct StockRulesTests {
    let t0 = Date(timeIntervalSince1970: 1_780_000_000)

    @Test func availableIsOnHandLessReservedLessWhatOpenOrdersWaitFor() {
        #expect(Stock.available(onHand: 10, reserved: 2, openOrders: 3) == 5)
        #expect(Stock.available(onHand: 1, reserved: 0, openOrders: 4) == -3)
        #expect(Availability(onHand: 8, reserved: 3, openOrders: 6).available == -1)
    }

    @Test func anOlderCountNeverReplacesANewerOneAndTheSameCountChangesNothing() {
        let stored = StockLevel(warehouse: "上海仓", onHand: 10, reserved: 2, asOf: t0)
        #expect(Stock.outcome(stored: nil, incoming: stored) == .updated)
        #expect(Stock.outcome(stored: stored, incoming: stored) == .unchanged)
        #expect(Stock.outcome(stored: stored, incoming: StockLevel(warehouse: "上海仓", onHand: 99, reserved: 0, asOf: t0 - 1)) == .stale)
        #expect(Stock.outcome(stored: stored, incoming: StockLevel(warehouse: "上海仓", onHand: 9, reserved: 2, asOf: t0 + 1)) == .updated)
        // the same moment with other figures: a correction, kept
        #expect(Stock.outcome(stored: stored, incoming: StockLevel(warehouse: "上海仓", onHand: 9, reserved: 2, asOf: t0)) == .updated)
    }

    @Test func aReportedLevelIsCheckedFieldByField() {
        var e = FieldErrors()
        #expect(Stock.check(StockUpdate(sku: "LJ-250", warehouse: " 上海仓 ", onHand: 5, asOf: t0), 0, into: &e)?.warehouse == "上海仓")
        #expect(e.isEmpty)
        #expect(Stock.check(StockUpdate(warehouse: "上海 仓", onHand: -1, reserved: -2), 3, into: &e) == nil)
        #expect(Set(e.messages.keys) == ["items[3].sku", "items[3].warehouse", "items[3].on_hand", "items[3].reserved", "items[3].as_of"])
    }

    @Test func linesOfOneProductCountTogetherAndUnknownStockWarnsNothing() throws {
        let a = try LineItem(id: "l1", productID: "p1", sku: "A", name: "茶", unit: nil, quantity: 3, unitPrice: 1, discount: .init(basisPoints: 0), taxRate: .init(basisPoints: 0))
        let b = try LineItem(id: "l2", productID: "p1", sku: "A", name: "茶", unit: nil, quantity: 2, unitPrice: 1, discount: .init(basisPoints: 0), taxRate: .init(basisPoints: 0))
        let c = try LineItem(id: "l3", productID: "p2", sku: "B", name: "壶", unit: nil, quantity: 9, unitPrice: 1, discount: .init(basisPoints: 0), taxRate: .init(basisPoints: 0))
        let w = Stock.oversold([a, b, c], available: ["p1": 4])
        #expect(w == [StockWarning(lineID: "l1", productID: "p1", sku: "A", quantity: 5, available: 4)])
        #expect(Stock.oversold([a, b], available: ["p1": 5]).isEmpty)
    }

    @Test func aShipToNeedsConsigneePhoneAndAddressAndKeepsChineseAndEmoji() throws {
        #expect(try ShipTo(name: " ", address: "").validated() == nil)
        let ok = try #require(try ShipTo(name: "王芳 😀", phone: "+86 138-1234-5678", province: "浙江省", city: "杭州市", district: "西湖区",
                                         address: "文三路 90 号\n\n  3 号楼 501 ", postcode: "310012").validated())
        #expect(ok.address == "文三路 90 号\n3 号楼 501" && ok.name == "王芳 😀")
        #expect(throws: DomainError.self) { try ShipTo(name: "王芳").validated() }
        do { _ = try ShipTo(name: String(repeating: "长", count: 101), phone: "12", address: "1\n2\n3\n4", postcode: "<script>").validated() } catch {
            guard case .validation(let f) = error else { Issue.record("\(error)"); return }
            #expect(Set(f.keys) == ["ship_to.name", "ship_to.phone", "ship_to.address", "ship_to.postcode"])
        }
    }
}
