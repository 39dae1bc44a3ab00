/// What ticket search indexes and how a query is split, one per ticket: the subject with the
/// customer's messages and the replies (`words`), and the internal notes apart (`notes`), since
/// only those who may update a ticket see its notes. Text is folded as customers' is
/// (`SearchText.foldForIndex`) for the trigram index, and CJK bigrams with each run's last
/// character for one- and two-character Chinese queries.
package struct TicketSearchDocument: Sendable, Equatable {
    package var words: String
    package var notes: String
    package var wordBigrams: String
    package var noteBigrams: String

    /// The document of a ticket's subject and conversation (`note`: an internal note).
    package init(subject: String, messages: [(note: Bool, body: String)]) {
        let open = ([subject] + messages.filter { !$0.note }.map(\.body)).joined(separator: "\n")
        let notes = messages.filter(\.note).map(\.body).joined(separator: "\n")
        words = SearchText.foldForIndex(open)
        self.notes = SearchText.foldForIndex(notes)
        wordBigrams = SearchText.bigramDocument(open, runEnds: true)
        noteBigrams = SearchText.bigramDocument(notes, runEnds: true)
    }
}

/// A ticket search query split as the indexes need it: every term must occur in the ticket.
package struct TicketSearchTerms: Sendable, Equatable {
    /// Terms of three characters or more: substrings through the trigram index (folded).
    package let long: [String]
    /// Chinese terms of one or two characters: the bigram index.
    package let cjkShort: [String]

    /// Nil when the query holds no term either index can look for (empty, or only one- or
    /// two-letter Latin words): such a query finds nothing rather than everything.
    package init?(_ query: String) {
        let terms = SearchText.normalizeQuery(query).split(separator: " ").map(String.init)
        long = Array(Set(terms.filter { $0.count >= 3 })).sorted()
        cjkShort = Array(Set(terms.filter { $0.count < 3 && SearchText.bigramQuery($0) != nil })).sorted()
        if long.isEmpty && cjkShort.isEmpty { return nil }
    }
}
