/// The customer pages' addresses (see `PageAddress`): the list and its saved views, the 360 page and
/// its forms, merges, and the CSV import wizard.
package enum CustomerURL: PageAddress, Equatable {
    case customers, newCustomer, bulk, saveView, deleteView(String)
    case customer(String), editCustomer(String), revealCustomer(String), addActivity(String)
    case mergeCustomer(String, String), undoMerge(String)
    case newImport, importUpload(String), importJob(String), importErrors(String)

    package var path: String {
        switch self {
        case .customers: "/customers"
        case .newCustomer: "/customers/new"
        case .bulk: "/customers/bulk"
        case .saveView: "/customers/views"
        case .deleteView(let id): "/customers/views/\(id)/delete"
        case .customer(let id): "/customers/\(id)"
        case .editCustomer(let id): "/customers/\(id)/edit"
        case .revealCustomer(let id): "/customers/\(id)/reveal"
        case .addActivity(let id): "/customers/\(id)/activities"
        case .mergeCustomer(let id, let other): "/customers/\(id)/merge/\(other)"
        case .undoMerge(let id): "/merges/\(id)/undo"
        case .newImport: "/imports/new"
        case .importUpload(let id): "/imports/uploads/\(id)"
        case .importJob(let id): "/imports/\(id)"
        case .importErrors(let id): "/imports/\(id)/errors.csv"
        }
    }
}
