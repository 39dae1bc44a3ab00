/// How much work waits in one of the server's queues (the metrics and the status page): its name
/// (`webhook_pending`; the status page's word is `queue_` + name) and the count, over the whole
/// server or one workspace.
package struct QueueDepth: Sendable, Equatable, Encodable {
    package var name: String
    package var depth: Int
    package init(name: String, depth: Int) { self.name = name; self.depth = depth }
}
