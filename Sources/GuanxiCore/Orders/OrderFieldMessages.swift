extension FieldMessage {
    package static let lineQuantity = FieldMessage("line_quantity", "must be a whole number from 1 to 1000000")
    package static let percent = FieldMessage("percent", "must be between 0 and 100")
    package static let atLeastOneLine = FieldMessage("at_least_one_line", "add at least one line")
}
