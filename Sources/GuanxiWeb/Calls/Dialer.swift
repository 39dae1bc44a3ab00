import Foundation
import GuanxiCore
import GuanxiStore
import GuanxiWebIntegration

/// Click-to-call, for the pages' buttons and the API alike: asks the telephone system (the
/// workspace's dial address, a signed request) to connect the acting agent's extension with a number.
struct Dialer: Sendable {
    let calls: CallStore

    /// What the telephone system made of the request.
    struct Outcome: Encodable, Sendable {
        var request_id: String
        /// The number as dialled (E.164, or an extension's digits).
        var number: String
        /// Whether the telephone system took the request (answered 2xx).
        var accepted: Bool
        var provider_status: Int?
        var error: String?
        enum CodingKeys: String, CodingKey { case request_id, number, accepted, provider_status, error }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(request_id, forKey: .request_id); try c.encode(number, forKey: .number); try c.encode(accepted, forKey: .accepted)
            try c.encode(provider_status, forKey: .provider_status); try c.encode(error, forKey: .error)
        }
    }

    /// Bad numbers, a workspace without a dial address and an agent without an extension are refused
    /// before anything is sent (`DomainError`); what the telephone system answers is the outcome.
    func dial(_ scope: Scope, number: String, customerID: String?) async throws -> Outcome {
        let id = "dial_" + ID.make()
        let request = try await calls.dialRequest(scope, number: number, customerID: customerID, requestID: id)
        let answer = await HTTPWebhookTransport().post(request)
        let accepted = answer.status.map { (200..<300).contains($0) } ?? false
        // dialRequest refused anything `dialled` does not take, so this is the number it sent
        return Outcome(request_id: id, number: CallStore.dialled(number) ?? number,
                       accepted: accepted, provider_status: answer.status, error: accepted ? nil : answer.error)
    }
}
