import GuanxiWebPlatform
/// The settings pages' addresses (see `PageAddress`).
package enum SettingsURL: PageAddress, Equatable {
    case home
    case settings(String), settingsAction(String, String)

    package var path: String {
        switch self {
        case .home: "/settings"
        case .settings(let section): "/settings/\(section)"
        case .settingsAction(let section, let action): "/settings/\(section)/\(action)"
        }
    }
}
