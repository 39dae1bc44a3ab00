extension DomainMessage {
    package static let lineQuantity: DomainMessage = "must be a whole number from 1 to 1000000"
    package static let percent: DomainMessage = "must be between 0 and 100"
    package static let atLeastOneLine: DomainMessage = "add at least one line"
}
