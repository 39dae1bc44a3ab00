import Hummingbird

/// Every page address, used both to register routes and to build links (so links cannot break).
public enum SiteURL: Sendable, Equatable {
    case home, signIn, signOut, language
    case customers, newCustomer, bulk, saveView, deleteView(String)
    case customer(String), editCustomer(String), revealCustomer(String), addActivity(String)
    case asset(String)
    case newImport, importUpload(String), importJob(String), importErrors(String)
    case settings(String), settingsAction(String, String)
    case mergeCustomer(String, String), undoMerge(String)
    case leads, newLead, lead(String), leadAction(String, String), publicForm(String)
    case deals, newDeal, deal(String), dealAction(String, String)
    case orders, newOrder, order(String), orderAction(String, String)
    case quotes, newQuote, quote(String), quoteAction(String, String)
    case products, productAction(String)
    case reports, reportTargets
    case publicConfirm(String, String)
    case today, newTask, task(String), taskAction(String, String), leadImport

    /// The link for this page.
    public var path: String {
        switch self {
        case .home: "/"
        case .signIn: "/sign-in"
        case .signOut: "/sign-out"
        case .language: "/language"
        case .customers: "/customers"
        case .newCustomer: "/customers/new"
        case .bulk: "/customers/bulk"
        case .saveView: "/customers/views"
        case .deleteView(let id): "/customers/views/\(id)/delete"
        case .customer(let id): "/customers/\(id)"
        case .editCustomer(let id): "/customers/\(id)/edit"
        case .revealCustomer(let id): "/customers/\(id)/reveal"
        case .addActivity(let id): "/customers/\(id)/activities"
        case .asset(let name): "/assets/\(name)"
        case .newImport: "/imports/new"
        case .importUpload(let id): "/imports/uploads/\(id)"
        case .importJob(let id): "/imports/\(id)"
        case .importErrors(let id): "/imports/\(id)/errors.csv"
        case .settings(let section): "/settings/\(section)"
        case .settingsAction(let section, let action): "/settings/\(section)/\(action)"
        case .mergeCustomer(let id, let other): "/customers/\(id)/merge/\(other)"
        case .undoMerge(let id): "/merges/\(id)/undo"
        case .leads: "/leads"
        case .newLead: "/leads/new"
        case .lead(let id): "/leads/\(id)"
        case .leadAction(let id, let action): "/leads/\(id)/\(action)"
        case .publicForm(let key): "/f/\(key)"
        case .deals: "/deals"
        case .newDeal: "/deals/new"
        case .deal(let id): "/deals/\(id)"
        case .dealAction(let id, let action): "/deals/\(id)/\(action)"
        case .orders: "/orders"
        case .newOrder: "/orders/new"
        case .order(let id): "/orders/\(id)"
        case .orderAction(let id, let action): "/orders/\(id)/\(action)"
        case .quotes: "/quotes"
        case .newQuote: "/quotes/new"
        case .quote(let id): "/quotes/\(id)"
        case .quoteAction(let id, let action): "/quotes/\(id)/\(action)"
        case .products: "/products"
        case .productAction(let action): "/products/\(action)"
        case .reports: "/reports"
        case .reportTargets: "/reports/targets"
        case .publicConfirm(let key, let token): "/f/\(key)/confirm/\(token)"
        case .today: "/today"
        case .newTask: "/tasks/new"
        case .task(let id): "/tasks/\(id)"
        case .taskAction(let id, let action): "/tasks/\(id)/\(action)"
        case .leadImport: "/leads/import"
        }
    }

    /// The router pattern for this page (ids become `:id`).
    var pattern: RouterPath { RouterPath(patternText) }

    var patternText: String {
        switch self {
        case .customer: "/customers/:id"
        case .editCustomer: "/customers/:id/edit"
        case .revealCustomer: "/customers/:id/reveal"
        case .addActivity: "/customers/:id/activities"
        case .asset: "/assets/:name"
        case .importUpload: "/imports/uploads/:id"
        case .importJob: "/imports/:id"
        case .importErrors: "/imports/:id/errors.csv"
        case .settings: "/settings/:section"
        case .settingsAction: "/settings/:section/:action"
        case .deleteView: "/customers/views/:id/delete"
        case .mergeCustomer: "/customers/:id/merge/:other"
        case .undoMerge: "/merges/:id/undo"
        case .lead: "/leads/:id"
        case .leadAction: "/leads/:id/:action"
        case .publicForm: "/f/:key"
        case .deal: "/deals/:id"
        case .dealAction: "/deals/:id/:action"
        case .order: "/orders/:id"
        case .orderAction: "/orders/:id/:action"
        case .quote: "/quotes/:id"
        case .quoteAction: "/quotes/:id/:action"
        case .productAction: "/products/:action"
        case .publicConfirm: "/f/:key/confirm/:token"
        case .task: "/tasks/:id"
        case .taskAction: "/tasks/:id/:action"
        default: path
        }
    }
}
