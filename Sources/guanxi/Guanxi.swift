import ArgumentParser
import Foundation
import GuanxiWebPlatform

/// The `guanxi` command: wiring only; the work happens in the library targets.
@main
struct Guanxi: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guanxi",
        abstract: "Guanxi 關係 — a self-hosted CRM.",
        version: GuanxiVersion.current,
        subcommands: [ServeCommand.self, MigrateCommand.self, UserCommand.self, TokenCommand.self, SourceCommand.self, AuditCommand.self, PoolCommand.self, MaintainCommand.self, WorkspaceCommand.self,
                      DemoCommand.self, ImportCommand.self, ExportCommand.self, AnalyzeCommand.self, SLACommand.self, BackupCommand.self, RestoreCommand.self])
}
