import Foundation
import ServiceLifecycle
import Hummingbird
import HTTPTypes
import GuanxiCore
import GuanxiStore
import GuanxiWebPlatform
import GuanxiWebIntegration

/// The call centre's addresses: the call log with its figures and settings, the agent's event
/// stream (screen pops), the unknown caller's form, click-to-call.
package enum CallURL: PageAddress, Equatable {
    case calls, events, caller, dial, settings, rotate
    package var path: String {
        switch self {
        case .calls: "/calls"
        case .events: "/calls/events"
        case .caller: "/calls/caller"
        case .dial: "/calls/dial"
        case .settings: "/calls/settings"
        case .rotate: "/calls/settings/rotate"
        }
    }
}

struct CallPages {
    let pages: Pages
    var calls: CallStore { pages.services.calls }

    var routes: [PageRoute] {
        [
            .get(CallURL.calls, needs: .can(.read, .customers)) { p, scope in try await logPage(p.page, scope) },
            .get(CallURL.events) { p, scope in try events(p, scope) },
            .get(CallURL.caller, needs: .can(.create, .customers)) { p, _ in
                callerForm(p.page, name: "", phone: String((p.query("phone") ?? "").prefix(64)), errors: [:])
            },
            .post(CallURL.caller, needs: .can(.create, .customers)) { p, scope in
                let name = p.form["name"] ?? "", phone = p.form["phone"] ?? ""
                var d = CustomerDraft()
                d.kind = .person; d.name = name; d.phones = [phone]
                do {
                    let c = try await pages.services.customers.create(scope, d)
                    return Pages.redirect("/customers/\(c.id)")
                } catch DomainError.validation(let fields) {
                    return callerForm(p.page, name: name, phone: phone, errors: fields, status: .unprocessableContent)
                } catch let e as DomainError {
                    if case .duplicate(let field, _, let m) = e { return callerForm(p.page, name: name, phone: phone, errors: [field == "phones" ? "phone" : field: m], status: .conflict) }
                    throw e
                }
            },
            .post(CallURL.dial, needs: .can(.read, .customers)) { p, scope in try await dial(p, scope) },
            .post(CallURL.settings, needs: .can(.update, .settings)) { p, scope in
                let f = p.form
                var ext: [String: String] = [:]
                for line in (f["extensions"] ?? "").split(whereSeparator: \.isNewline) {
                    let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," || $0 == "=" }).map(String.init)
                    if parts.count == 2 { ext[parts[0]] = parts[1] } else if !parts.isEmpty { ext[parts.joined(separator: " ")] = "" }
                }
                do {
                    _ = try await calls.updateSettings(scope, dialURL: (f["dial_url"] ?? "").trimmed(), smsURL: (f["sms_url"] ?? "").trimmed(),
                                                       missedRule: MissedCallRule(rawValue: f["missed_rule"] ?? "") ?? .task,
                                                       missedAssignee: MissedCallAssignee(rawValue: f["missed_assignee"] ?? "") ?? .owner,
                                                       slaMinutes: Int(f["callback_sla_minutes"] ?? "") ?? 0, extensions: ext)
                    return Pages.redirect(CallURL.calls.path + "#settings")
                } catch DomainError.validation(let fields) {
                    return try await logPage(p.page, scope, errors: fields, status: .unprocessableContent)
                }
            },
            .post(CallURL.rotate, needs: .can(.update, .settings)) { _, scope in
                _ = try await calls.rotateSecret(scope)
                return Pages.redirect(CallURL.calls.path + "#settings")
            },
        ]
    }

    // MARK: The call log, its figures and settings

    func logPage(_ v: PageContext, _ scope: Scope, errors: [String: DomainMessage] = [:], status: HTTPResponse.Status = .ok) async throws -> Response {
        let f = try await pages.formatter(v, scope)
        let now = pages.services.clock.now()
        let list = try await calls.calls(scope, limit: 100)
        var model: [String: Any] = [
            "rows": list.map { c -> [String: Any] in
                Pages.model(["when": f.string(from: c.startedAt), "phone": c.phone, "direction": v.text("call_direction_" + c.direction.rawValue),
                             "state": v.text("call_state_" + c.state.rawValue), "duration": c.durationSeconds.map { duration($0) },
                             "customerHref": c.customerID.map { "/customers/\($0)" }, "recording": c.recordingURL,
                             "followUp": c.followUpKind.map { v.text("call_follow_" + $0) }])
            },
            "csrf": v.csrf,
        ]
        if !list.isEmpty { model["has_rows"] = true }
        if scope.level(.tickets, .read) != nil {
            var periods: [[String: Any]] = []
            for days in [7, 30] {
                let s = try await calls.stats(scope, from: now.addingTimeInterval(-Double(days) * 86400), to: now)
                periods.append(Self.statsModel(s, v, label: v.text("call_last_\(days)")))
            }
            model["periods"] = periods
            model["has_periods"] = true
        }
        if scope.level(.settings, .update) != nil {
            let s = try await calls.settings(scope)
            let base = pages.services.publicURL ?? ""
            var names: [String: String] = [:]
            for (ext, user) in s.extensions { names[ext] = try await pages.services.access.user(id: user)?.email ?? user }
            model["settings"] = Pages.model([
                "hookURL": base + "/api/v1/hooks/telephony/" + s.hookKey, "secret": s.secret,
                "previousUntil": s.previousSecretUntil.map { f.string(from: $0) }, "dialURL": s.dialURL ?? "", "smsURL": s.smsURL ?? "",
                "sla": String(s.callbackSLAMinutes),
                "rules": MissedCallRule.allCases.map { ["value": $0.rawValue, "label": v.text("call_rule_" + $0.rawValue), "selected": $0 == s.missedRule] as [String: Any] },
                "assignees": MissedCallAssignee.allCases.map { ["value": $0.rawValue, "label": v.text("call_assign_" + $0.rawValue), "selected": $0 == s.missedAssignee] as [String: Any] },
                "extensions": names.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "\n"),
                "has_errors": errors.isEmpty ? nil : true,
                "errors": errors.isEmpty ? nil : errors.sorted { $0.key < $1.key }.map { ["field": v.text("call_field_" + $0.key), "message": v.localize($0.value)] },
            ])
        }
        return pages.page("calls", model, title: v.text("calls"), visit: v, status: status)
    }

    /// The figures as a page shows them (the service reports and the call log).
    static func statsModel(_ s: CallStats, _ v: PageContext, label: String) -> [String: Any] {
        func pct(_ r: Double?) -> String { r.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        return ["label": label, "inbound": v.fmt.number(s.inbound), "answered": v.fmt.number(s.answered), "missed": v.fmt.number(s.missed),
                "outbound": v.fmt.number(s.outbound), "answeredRate": pct(s.answeredRate),
                "aht": s.averageHandlingSeconds.map { duration($0) } ?? "—",
                "calledBack": v.fmt.number(s.calledBackWithinSLA), "calledBackRate": pct(s.calledBackRate)]
    }

    func callerForm(_ v: PageContext, name: String, phone: String, errors: [String: DomainMessage], status: HTTPResponse.Status = .ok) -> Response {
        let model = Pages.model(["name": name, "phone": phone, "csrf": v.csrf,
                                 "nameError": (errors["name"]).map(v.localize), "phoneError": (errors["phone"] ?? errors["phones"]).map(v.localize)])
        return pages.page("calls_caller", model, title: v.text("call_unknown"), visit: v, status: status)
    }

    // MARK: Click-to-call

    func dial(_ p: PageRequest, _ scope: Scope) async throws -> Response {
        let v = p.page
        let number = p.form["number"] ?? "", customer = (p.form["customer_id"] ?? "").isEmpty ? nil : p.form["customer_id"]
        let back = customer.map { "/customers/\($0)" } ?? CallURL.calls.path
        let message: (kind: String, text: String)
        do {
            let o = try await Dialer(calls: calls).dial(scope, number: number, customerID: customer)
            message = o.accepted ? ("ok", v.text("call_dial_sent").replacingOccurrences(of: "{n}", with: o.number))
                : ("error", v.text("call_dial_refused").replacingOccurrences(of: "{s}", with: o.provider_status.map(String.init) ?? (o.error ?? "—")))
        } catch let e as DomainError {
            message = ("error", v.message(e))
        }
        return pages.page("calls_dial", ["back": back], title: v.text("call_dial"), visit: v, flash: message,
                          status: message.kind == "ok" ? .ok : .unprocessableContent)
    }

    // MARK: The screen pop's event stream

    /// `text/event-stream` of the calls meant for the signed-in agent (or for any agent): one
    /// `call` event per ring, answer or end; a comment every 15 s, which also ends the stream once
    /// the session has (signed out, expired).
    func events(_ p: PageRequest, _ scope: Scope) throws -> Response {
        guard let user = scope.userID else { throw DomainError.forbidden("screen pops are for signed-in users") }
        let hub = ScreenPopHub.shared(pages.services)
        let (id, stream, out) = try hub.subscribe(workspaceID: scope.workspaceID, userID: user)
        let secret = p.request.cookies[AuthMiddleware.cookie]?.value ?? ""
        let signIn = pages.services.signIn, v = p.page
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: ScreenPopHub.heartbeat)
                out.yield(.beat)
            }
        }
        var h = HTTPFields()
        h[.contentType] = "text/event-stream; charset=utf-8"
        h[.cacheControl] = "no-store"
        h[HTTPField.Name("X-Accel-Buffering")!] = "no"
        return Response(status: .ok, headers: h, body: ResponseBody { writer in
            defer { ticker.cancel(); hub.remove(id); out.finish() }
            try await writer.write(ByteBuffer(string: "retry: 3000\n: connected\n\n"))
            // a stopping server ends the stream (the browser reconnects to another, or to this one
            // once it is back): otherwise its shutdown would wait on every agent's open page
            try await withGracefulShutdownHandler {
                loop: for await signal in stream {
                    switch signal {
                    case .beat:
                        guard (try? await signIn.session(secret)) != nil else { break loop }
                        try await writer.write(ByteBuffer(string: ": beat\n\n"))
                    case .pop(let pop):
                        try await writer.write(ByteBuffer(string: "event: call\ndata: " + Self.popJSON(pop, v) + "\n\n"))
                    }
                }
            } onGracefulShutdown: {
                out.finish()
            }
            try await writer.finish(nil)
        })
    }

    /// What the browser is told of a call: where to go (the customer's page, or the unknown
    /// caller's form with the number filled in) and the words to say it with.
    static func popJSON(_ p: CallPop, _ v: PageContext) -> String {
        let href = p.customerID.map { "/customers/\($0)" }
            ?? CallURL.caller.path + "?phone=" + (p.phone.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        let o: JSONValue = .object([
            "call_id": .string(p.callID), "event": .string(p.event), "phone": .string(p.phone),
            "customer_id": p.customerID.map(JSONValue.string) ?? .null, "href": .string(href),
            "title": .string(v.text("call_ringing")), "open": .string(v.text(p.customerID == nil ? "call_new_customer" : "call_open_customer")),
            "dismiss": .string(v.text("call_dismiss")),
        ])
        return JSONCoding.encode(o)
    }

    // MARK: The customer's page

    /// The customer's recent calls and a call button for each of their numbers.
    static func customerPart(_ pages: Pages, _ scope: Scope, customerID: String, _ v: PageContext) async throws -> [String: Any] {
        guard scope.level(.customers, .read) != nil else { return [:] }
        let list = try await pages.services.calls.calls(scope, customerID: customerID, limit: 10)
        let c = try await pages.services.customers.get(scope, id: customerID)
        let numbers = c.phones.filter { IdentityNormalizer.phone($0) != nil }
        guard !list.isEmpty || !numbers.isEmpty else { return [:] }
        let f = try await pages.formatter(v, scope)
        return ["calls": Pages.model([
            "csrf": v.csrf, "customerID": customerID,
            "numbers": numbers.map { ["number": $0] }, "has_numbers": numbers.isEmpty ? nil : true,
            "items": list.map { c -> [String: Any] in
                Pages.model(["when": f.string(from: c.startedAt), "direction": v.text("call_direction_" + c.direction.rawValue),
                             "state": v.text("call_state_" + c.state.rawValue), "duration": c.durationSeconds.map { duration($0) },
                             "recording": c.recordingURL])
            },
        ])]
    }
}

/// `m:ss` (or `h:mm:ss`).
func duration(_ s: Int) -> String {
    s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
}
