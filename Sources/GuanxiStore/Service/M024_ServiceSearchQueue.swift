/// Ticket search is written after the change, in batches: a write that changes what a ticket says
/// queues the ticket (`n` counts the changes since it was last indexed), and the indexer
/// (`TicketSearchIndex.drain`) rewrites the queued tickets' documents in one transaction per batch,
/// then removes each entry it wrote unless it was queued again meanwhile.
package enum M024_ServiceSearchQueue {
    package static let migration = Migration(version: 24, name: "service_search_queue") { _ in
        ["CREATE TABLE ticket_search_queue (ticket_id TEXT PRIMARY KEY, n BIGINT NOT NULL, queued_at BIGINT NOT NULL)"]
    }
}
