import Foundation
import ParleyCore
import ParleyGitStore

/// Who is acting: `PARLEY_AGENT` (a handle), else Git's `parley.agent`,
/// else the part of `user.email` before the `@`, else `$USER`. The commit
/// author is Git's `user.name` / `user.email` when set.
enum AgentResolver {
    static func resolve(environment: [String: String], store: GitMailboxStore?) -> Agent {
        let email = environment["GIT_AUTHOR_EMAIL"] ?? store?.configString("user.email")
        let name = environment["GIT_AUTHOR_NAME"] ?? store?.configString("user.name")
        let candidates = [
            environment["PARLEY_AGENT"], store?.configString("parley.agent"),
            email.flatMap { $0.split(separator: "@").first.map(String.init) }, environment["USER"],
        ]
        let handle = candidates.compactMap { $0?.lowercased() }.first(where: Agent.isValidHandle) ?? "agent"
        return Agent(handle: handle, name: name ?? handle, email: email ?? "\(handle)@parley.invalid")
    }
}
