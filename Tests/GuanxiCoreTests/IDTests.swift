import Foundation
import Testing
@testable import GuanxiCore

@Suite("Record ids (UUIDv7)")
struct IDTests {
    @Test func idsAreVersionSevenUUIDsThatSortByTime() {
        // given ids made a millisecond apart, and many in the same millisecond
        let t = Date(millis: 1_764_000_000_125)
        let earlier = ID.make(at: t)
        let later = ID.make(at: Date(millis: t.millis + 1))
        let same = (0..<1_000).map { _ in ID.make(at: t) }
        // then each is a lowercase UUID with version 7 and the RFC variant
        for id in same + [earlier, later] {
            #expect(ID.isValid(id))
            #expect(id == id.lowercased())
            let u = Array(id.utf8)
            #expect(u[14] == UInt8(ascii: "7"))
            #expect([UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: "b")].contains(u[19]))
        }
        // the time prefix orders them, and the random part makes each distinct
        #expect(earlier < later)
        #expect(String(earlier.prefix(13)) == "019ab697-e87d")   // 1764000000125 ms in hex, dashed
        #expect(Set(same).count == same.count)
    }

    @Test func theFirstIDOfAMillisecondCutsByTime() {
        // given a millisecond and ids made in it, just before it and just after it
        let t = Date(millis: 1_764_000_000_125)
        let cut = ID.first(at: t)
        // then the cut is a v7 id that sorts after every earlier id and not after any id of its time or later
        #expect(ID.isValid(cut))
        #expect(cut == "019ab697-e87d-7000-8000-000000000000")
        for _ in 0..<200 {
            #expect(ID.make(at: Date(millis: t.millis - 1)) < cut)
            #expect(ID.make(at: t) >= cut)
            #expect(ID.make(at: Date(millis: t.millis + 1)) > cut)
        }
    }
}
