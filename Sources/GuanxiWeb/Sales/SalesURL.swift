import GuanxiWebPlatform
/// The lead pages' addresses (see `PageAddress`), the public web form and its double opt-in included.
package enum LeadURL: PageAddress, Equatable {
    case leads, newLead, lead(String), leadAction(String, String), leadImport
    case publicForm(String), publicConfirm(String, String)

    package var path: String {
        switch self {
        case .leads: "/leads"
        case .newLead: "/leads/new"
        case .lead(let id): "/leads/\(id)"
        case .leadAction(let id, let action): "/leads/\(id)/\(action)"
        case .leadImport: "/leads/import"
        case .publicForm(let key): "/f/\(key)"
        case .publicConfirm(let key, let token): "/f/\(key)/confirm/\(token)"
        }
    }
}

/// The deal pages' addresses: the board, a deal, opening one.
package enum DealURL: PageAddress, Equatable {
    case deals, newDeal, deal(String), dealAction(String, String)

    package var path: String {
        switch self {
        case .deals: "/deals"
        case .newDeal: "/deals/new"
        case .deal(let id): "/deals/\(id)"
        case .dealAction(let id, let action): "/deals/\(id)/\(action)"
        }
    }
}

/// The follow-up pages' addresses: my day and tasks.
package enum TaskURL: PageAddress, Equatable {
    case today, newTask, task(String), taskAction(String, String)

    package var path: String {
        switch self {
        case .today: "/today"
        case .newTask: "/tasks/new"
        case .task(let id): "/tasks/\(id)"
        case .taskAction(let id, let action): "/tasks/\(id)/\(action)"
        }
    }
}

/// The report page and setting targets.
package enum ReportURL: PageAddress, Equatable {
    case reports, reportTargets

    package var path: String {
        switch self {
        case .reports: "/reports"
        case .reportTargets: "/reports/targets"
        }
    }
}
