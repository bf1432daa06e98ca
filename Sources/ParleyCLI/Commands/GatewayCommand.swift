import ArgumentParser
import ParleyCore
import ParleyGateways

struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Check the gateway configuration.",
        subcommands: [GatewayCheckCommand.self],
        defaultSubcommand: GatewayCheckCommand.self
    )
}

struct GatewayCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the gateway settings and secrets, and say what is missing.",
        discussion: """
            Settings live in parley.yaml (gateway:), never secrets: those come from the
            environment or ~/.config/parley/credentials (chmod 600): PARLEY_TWILIO_AUTH_TOKEN,
            PARLEY_KANNEL_PASSWORD, PARLEY_KANNEL_WEBHOOK_SECRET, PARLEY_TELNYX_API_KEY,
            PARLEY_PLIVO_AUTH_TOKEN, PARLEY_VONAGE_API_SECRET, PARLEY_VONAGE_SIGNATURE_SECRET,
            PARLEY_BANDWIDTH_PASSWORD, PARLEY_BANDWIDTH_CALLBACK_PASSWORD.
            Providers: sandbox, twilio, kannel, telnyx, plivo, vonage, bandwidth
            (docs/GATEWAYS.md lists each one's settings).

            --live then makes one harmless authenticated call to the provider (the
            account or its balance; nothing is sent), which proves the credentials.

            Examples:
              parley gateway check
              PARLEY_TELNYX_API_KEY=… parley gateway check --live
            """)

    @OptionGroup var repository: RepositoryOptions
    @Flag(help: "Also ask the provider about the account with the configured credentials (sends nothing).") var live = false

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let credentials = try context.credentials(for: mailbox)
            let settings = mailbox.config.gateway
            context.output.line("gateway: \(settings.provider)")
            for key in settings.settings.keys.sorted() {
                // A secret found in parley.yaml is named, never echoed: the terminal may be shared or logged.
                let value = GatewayFactory.isSecretKey(key) ? "(hidden: a secret does not belong in parley.yaml)" : settings.settings[key]!
                context.output.line("  \(key): \(value)")
            }
            let problems = GatewayFactory.problems(mailbox.config, credentials: credentials, serving: true)
            guard problems.isEmpty else {
                for problem in problems { context.output.line(context.style.paint("missing", .red) + ": \(problem)") }
                throw ExitCode(ExitStatus.gateway)
            }
            context.output.line(context.style.paint("ready", .green) + ": settings and secrets are complete")
            guard live else { return }
            do {
                let answer = try await GatewayFactory.make(mailbox.config, credentials: credentials).checkAccount()
                context.output.line(context.style.paint("live", .green) + ": \(answer)")
            } catch {
                context.output.line(context.style.paint("live check failed", .red) + ": \(error)")
                throw ExitCode(ExitStatus.gateway)
            }
        }
    }
}
