import Foundation

/// What a person's events add up to, kept current as they arrive (one per customer, or per
/// anonymous visitor until an identify says who they are): first and last seen, sessions (a gap of
/// 30 minutes starts a new one), page views per day for the last 30 days, the products and
/// categories they looked at, their cart's value, the channel they last came by and their device,
/// and the traits the customer record has no field for. Pure: `apply` takes events, `merge` joins
/// a visitor's profile into the customer's.
package struct BehaviourProfile: Sendable, Equatable {
    package var firstSeen: Date?
    package var lastSeen: Date?
    package var sessions = 0
    package var events = 0
    package var pageViews = 0
    /// Page and screen views by UTC day (`YYYY-MM-DD`), the last 30 days of the newest event.
    package var dailyViews: [String: Int] = [:]
    /// Most recent first, at most `listLimit` each.
    package var products: [String] = []
    package var categories: [String] = []
    package var cartValue: Double?
    package var lastChannel: String?
    package var device: String?
    /// The traits of identify events that no customer field takes (gender, company, plan, …).
    package var traits: [String: JSONValue] = [:]

    package init() {}

    /// A gap longer than this between two events starts a new session.
    package static let sessionGap: TimeInterval = 30 * 60
    package static let listLimit = 20
    static let keptDays = 30

    /// Page and screen views in the `days` days up to `now` (today included).
    package func pageViews(days: Int, now: Date) -> Int {
        let from = Self.day(now.addingTimeInterval(-Double(days - 1) * 86_400))
        return dailyViews.reduce(0) { $0 + ($1.key >= from ? $1.value : 0) }
    }

    // MARK: Events

    /// Adds events (any order; they are taken by time).
    package mutating func apply(_ messages: [EventMessage]) {
        for m in messages.sorted(by: { $0.timestamp < $1.timestamp }) { apply(m) }
    }

    package mutating func apply(_ m: EventMessage) {
        let t = m.timestamp
        let newest = lastSeen.map { t >= $0 } ?? true
        events += 1
        if let first = firstSeen, let last = lastSeen {
            if t > last { if t.timeIntervalSince(last) > Self.sessionGap { sessions += 1 }; lastSeen = t }
            else if t < first { if first.timeIntervalSince(t) > Self.sessionGap { sessions += 1 }; firstSeen = t }
        } else {
            firstSeen = t; lastSeen = t; sessions = 1
        }
        let props = m.properties.objectValue ?? [:]
        if m.type == .page || m.type == .screen {
            pageViews += 1
            dailyViews[Self.day(t), default: 0] += 1
            prune()
        }
        if m.type == .identify, let traits = m.traits {
            for (k, v) in TraitMerge.decide(traits: traits, current: TraitMerge.Current(name: ""), today: "9999-12-31").profileTraits { self.traits[k] = v }
        }
        if m.type == .track, let name = m.event {
            switch Self.ecommerce(name) {
            case .viewed:
                if let p = Self.text(props["name"]) ?? Self.text(props["product_id"]) ?? Self.text(props["sku"]) ?? Self.text(props["title"]) {
                    Self.remember(p, in: &products)
                }
                if let c = Self.text(props["category"]) ?? Self.text(props["$category"]) { Self.remember(c, in: &categories) }
            case .added: cartValue = max(0, (cartValue ?? 0) + Self.lineValue(props))
            case .removed: cartValue = max(0, (cartValue ?? 0) - Self.lineValue(props))
            case .cart:
                if let v = Self.number(props["value"]) ?? Self.number(props["total"]) ?? Self.number(props["revenue"]) { cartValue = max(0, v) }
                else if let items = props["products"]?.arrayValue { cartValue = items.reduce(0) { $0 + Self.lineValue($1.objectValue ?? [:]) } }
            case .ordered: cartValue = 0
            case nil: break
            }
        }
        if let v = Self.number(props["cart_value"]) { cartValue = max(0, v) }
        if newest {
            if let c = Self.channel(m) { lastChannel = c }
            if let d = Self.device(m) { device = d }
        }
    }

    /// Joins another profile of the same person (a visitor who turned out to be this customer).
    package mutating func merge(_ o: BehaviourProfile) {
        guard o.events > 0 || !o.traits.isEmpty else { return }
        let otherNewer = (o.lastSeen ?? .distantPast) > (lastSeen ?? .distantPast)
        firstSeen = [firstSeen, o.firstSeen].compactMap { $0 }.min()
        lastSeen = [lastSeen, o.lastSeen].compactMap { $0 }.max()
        sessions += o.sessions
        events += o.events
        pageViews += o.pageViews
        for (d, n) in o.dailyViews { dailyViews[d, default: 0] += n }
        prune()
        let (older, newer) = otherNewer ? (self, o) : (o, self)
        products = Array(Self.unique(newer.products + older.products).prefix(Self.listLimit))
        categories = Array(Self.unique(newer.categories + older.categories).prefix(Self.listLimit))
        cartValue = newer.cartValue ?? older.cartValue
        lastChannel = newer.lastChannel ?? older.lastChannel
        device = newer.device ?? older.device
        traits = older.traits.merging(newer.traits) { _, n in n }
    }

    private mutating func prune() {
        guard dailyViews.count > Self.keptDays, let newest = dailyViews.keys.max(), let d = Timestamp.parse(newest + "T00:00:00Z") else { return }
        let from = Self.day(d.addingTimeInterval(-Double(Self.keptDays - 1) * 86_400))
        dailyViews = dailyViews.filter { $0.key >= from }
    }

    // MARK: Reading events

    enum Commerce { case viewed, added, removed, cart, ordered }

    /// Segment's e-commerce events and the GA4 names shops also send, however written.
    static func ecommerce(_ name: String) -> Commerce? {
        // the letters of the name, lower case ("Product Viewed", "add_to_cart"); names in ASCII
        // (all the clients' standard ones) without going through characters
        let n = name.utf8.allSatisfy { $0 < 0x80 }
            ? String(decoding: name.utf8.compactMap { b in (0x41...0x5A).contains(b) ? b + 0x20 : (0x61...0x7A).contains(b) ? b : nil }, as: UTF8.self)
            : String(name.lowercased().filter { $0.isLetter })
        switch n {
        case "productviewed", "viewproduct", "viewitem", "productview": return .viewed
        case "productadded", "addtocart", "addedtocart": return .added
        case "productremoved", "removefromcart", "removedfromcart": return .removed
        case "cartviewed", "viewcart", "checkoutstarted", "begincheckout": return .cart
        case "ordercompleted", "purchase", "ordered", "orderplaced": return .ordered
        default: return nil
        }
    }

    static func lineValue(_ p: [String: JSONValue]) -> Double {
        let price = number(p["price"]) ?? number(p["value"]) ?? 0
        let quantity = number(p["quantity"]) ?? 1
        return (price * quantity).isFinite ? price * quantity : 0
    }

    /// Where the visitor came from: the campaign (utm source / medium), another site that referred
    /// them, or the app; nil when the event does not say (a move inside the same site, a server event).
    static func channel(_ m: EventMessage) -> String? {
        let ctx = m.context?.objectValue ?? [:], props = m.properties.objectValue ?? [:]
        let campaign = ctx["campaign"]?.objectValue ?? [:]
        let source = text(campaign["source"]) ?? text(props["utm_source"]) ?? text(props["$utm_source"])
        let medium = text(campaign["medium"]) ?? text(props["utm_medium"]) ?? text(props["$utm_medium"])
        if let source { return cut([source, medium].compactMap { $0 }.joined(separator: " / "), 80) }
        let page = ctx["page"]?.objectValue ?? [:]
        let url = text(page["url"]) ?? text(props["url"]) ?? text(props["$current_url"])
        if let ref = text(page["referrer"]) ?? text(props["referrer"]) ?? text(props["$referrer"]), let host = URLComponents(string: ref)?.host, !host.isEmpty {
            return host == url.flatMap({ URLComponents(string: $0)?.host }) ? nil : cut(host, 80)
        }
        if m.type == .screen || ctx["app"] != nil { return "app" }
        if m.type == .page { return "direct" }
        return nil
    }

    /// The device as people say it: its kind or model, its system, its browser.
    static func device(_ m: EventMessage) -> String? {
        let ctx = m.context?.objectValue ?? [:], props = m.properties.objectValue ?? [:]
        let dev = ctx["device"]?.objectValue ?? [:]
        let agent = text(ctx["userAgent"]) ?? text(props["$user_agent"]) ?? ""
        let ua = agent.lowercased()
        let model = text(dev["model"]) ?? text(props["$device_model"])
        var kind = text(dev["type"]) ?? text(props["$device_type"])
        var os = text(ctx["os"]?.objectValue?["name"]) ?? text(props["$os"])
        var browser = text(props["$browser"])
        if !ua.isEmpty {
            if os == nil {
                os = ua.contains("iphone") || ua.contains("ipad") ? "iOS" : ua.contains("android") ? "Android" : ua.contains("windows") ? "Windows"
                    : ua.contains("mac os") ? "macOS" : ua.contains("linux") ? "Linux" : nil
            }
            if kind == nil { kind = ua.contains("ipad") || ua.contains("tablet") ? "tablet" : ua.contains("mobi") || ua.contains("iphone") ? "mobile" : "desktop" }
            if browser == nil {
                browser = ua.contains("micromessenger") ? "WeChat" : ua.contains("edg/") ? "Edge" : ua.contains("firefox") ? "Firefox"
                    : ua.contains("chrome") || ua.contains("chromium") ? "Chrome" : ua.contains("safari") ? "Safari" : nil
            }
        }
        let parts = [model ?? kind, os, browser].compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : cut(parts.joined(separator: " · "), 120)
    }

    static func remember(_ value: String, in list: inout [String]) {
        let v = cut(Text.clean(value), 120)
        guard !v.isEmpty else { return }
        list.removeAll { $0 == v }
        list.insert(v, at: 0)
        if list.count > listLimit { list.removeLast(list.count - listLimit) }
    }

    static func unique(_ list: [String]) -> [String] { var seen = Set<String>(); return list.filter { seen.insert($0).inserted } }

    static func text(_ v: JSONValue?) -> String? {
        guard let s = TraitMerge.text(v)?.trimmed(), !s.isEmpty else { return nil }
        return s
    }

    static func number(_ v: JSONValue?) -> Double? {
        switch v {
        case .number(let n)?: return n.isFinite ? n : nil
        case .string(let s)?: return Double(s.trimmingCharacters(in: .whitespaces)).flatMap { $0.isFinite ? $0 : nil }
        default: return nil
        }
    }

    static func cut(_ s: String, _ n: Int) -> String { Text.cut(s, n) }

    package static func day(_ d: Date) -> String { String(Timestamp.iso8601(d).prefix(10)) }

    // MARK: Stored form

    /// The profile as the database keeps it (one JSON text beside its keys).
    package var json: JSONValue {
        var o: [String: JSONValue] = ["sessions": .number(Double(sessions)), "events": .number(Double(events)), "page_views": .number(Double(pageViews)),
                                      "daily_views": .object(dailyViews.mapValues { .number(Double($0)) }),
                                      "products": .array(products.map(JSONValue.string)), "categories": .array(categories.map(JSONValue.string)),
                                      "traits": .object(traits)]
        if let firstSeen { o["first_seen"] = .number(Double(firstSeen.millis)) }
        if let lastSeen { o["last_seen"] = .number(Double(lastSeen.millis)) }
        if let cartValue { o["cart_value"] = .number(cartValue) }
        if let lastChannel { o["last_channel"] = .string(lastChannel) }
        if let device { o["device"] = .string(device) }
        return .object(o)
    }

    package init(json: JSONValue) {
        let o = json.objectValue ?? [:]
        func int(_ k: String) -> Int { Int(Self.number(o[k]) ?? 0) }
        func date(_ k: String) -> Date? { Self.number(o[k]).map { Date(millis: Int64($0)) } }
        firstSeen = date("first_seen"); lastSeen = date("last_seen")
        sessions = int("sessions"); events = int("events"); pageViews = int("page_views")
        dailyViews = (o["daily_views"]?.objectValue ?? [:]).compactMapValues { Self.number($0).map { Int($0) } }
        products = o["products"]?.strings ?? []; categories = o["categories"]?.strings ?? []
        cartValue = Self.number(o["cart_value"]); lastChannel = o["last_channel"]?.stringValue; device = o["device"]?.stringValue
        traits = o["traits"]?.objectValue ?? [:]
    }
}

/// A person's events grouped into sessions (a gap of 30 minutes ends one), for the timeline: a
/// year of page views reads as one line per visit.
package struct BehaviourSession: Sendable, Equatable {
    package var start: Date
    package var end: Date
    package var pageViews: Int
    /// The named events of the visit (tracks), first occurrence order, at most 5.
    package var keyEvents: [String]
    /// The visit's events, oldest first.
    package var items: [Int]
    package var duration: TimeInterval { end.timeIntervalSince(start) }

    /// Groups events (newest first, as they are read) into sessions, newest first; `items` are
    /// the indexes of each session's events in the input.
    package static func group(_ events: [(type: EventType, event: String?, at: Date)], gap: TimeInterval = BehaviourProfile.sessionGap) -> [BehaviourSession] {
        var out: [BehaviourSession] = []
        for (i, e) in events.enumerated().reversed() {
            if var last = out.last, e.at.timeIntervalSince(last.end) <= gap {
                last.end = max(last.end, e.at)
                last.add(e, i)
                out[out.count - 1] = last
            } else {
                var s = BehaviourSession(start: e.at, end: e.at, pageViews: 0, keyEvents: [], items: [])
                s.add(e, i)
                out.append(s)
            }
        }
        return out.reversed()
    }

    private mutating func add(_ e: (type: EventType, event: String?, at: Date), _ i: Int) {
        items.append(i)
        if e.type == .page || e.type == .screen { pageViews += 1 }
        if e.type == .track, let n = e.event, !keyEvents.contains(n), keyEvents.count < 5 { keyEvents.append(n) }
    }
}
